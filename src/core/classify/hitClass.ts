// The classes a hit can fall in, as small codes so a million hits cost a million bytes. Defined in
// src/shared (the timeline's page shows and filters them too); re-exported here for the classifier
// (which assigns them) and the statistics (which count humans apart).

export {
  CLASS_HUMAN,
  CLASS_PROXY,
  CLASS_ROBOT,
  CLASS_SCANNER,
  HIT_CLASSES,
  hitClassCode,
  hitClassName,
  NOT_A_HIT,
  type HitClass,
} from '../../shared/timeline/hitClasses';
