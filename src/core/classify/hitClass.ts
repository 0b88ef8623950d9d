// The classes a hit can fall in, as small codes so a million hits cost a million bytes.
// Shared by the classifier (which assigns them) and the statistics (which count humans apart).

export const HIT_CLASSES = ['human', 'privacy proxy', 'security scanner', 'robot'] as const;
export type HitClass = (typeof HIT_CLASSES)[number];

export const CLASS_HUMAN = 0;
export const CLASS_PROXY = 1;
export const CLASS_SCANNER = 2;
export const CLASS_ROBOT = 3;
/** The code of an event that is not a hit (or was not classified). */
export const NOT_A_HIT = 255;

export function hitClassName(code: number): HitClass | undefined {
  return HIT_CLASSES[code];
}

export function hitClassCode(name: string): number {
  const i = (HIT_CLASSES as readonly string[]).indexOf(name);
  return i < 0 ? NOT_A_HIT : i;
}
