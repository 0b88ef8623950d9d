// A hit's class in words for the list badge and the detail pane: fixed words from
// src/shared/timeline/hitClasses.ts, never text from the event.

import {
  classOfPacked,
  hitClassName,
  NOT_A_HIT,
  reasonOfPacked,
  REASON_TEXT,
} from '../src/shared/timeline/hitClasses';

/** The badge's short word per class code (the full name is its tooltip). */
const SHORT = ['human', 'proxy', 'scanner', 'robot'];

export function isHitKind(kind: string): boolean {
  return kind === 'hit' || kind.startsWith('hit:');
}

/**
 * The class of an event of `kind` with packed class `packed` (undefined: classes not known):
 * undefined for a non-hit or while unknown.
 */
export function classLabel(
  kind: string,
  packed: number | undefined,
): { name: string; short: string; reason: string } | undefined {
  if (packed === undefined || packed === NOT_A_HIT || !isHitKind(kind)) return undefined;
  const code = classOfPacked(packed);
  const name = hitClassName(code);
  if (!name) return undefined;
  return { name, short: SHORT[code] ?? name, reason: REASON_TEXT[reasonOfPacked(packed)] ?? '' };
}
