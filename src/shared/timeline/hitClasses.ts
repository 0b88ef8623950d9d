// The classes a hit can fall in (src/core/classify assigns them), as small codes so a million hits
// cost a million bytes, and the compact column the timeline receives them in: one byte per event,
// the class in the low nibble and the evidence that decided it in the high one. Shared by the host
// (which classifies and encodes) and the webview (which shows and filters): imports neither side.

export const HIT_CLASSES = ['human', 'privacy proxy', 'security scanner', 'robot'] as const;
export type HitClass = (typeof HIT_CLASSES)[number];

export const CLASS_HUMAN = 0;
export const CLASS_PROXY = 1;
export const CLASS_SCANNER = 2;
export const CLASS_ROBOT = 3;
/** The code of an event that is not a hit (or was not classified). */
export const NOT_A_HIT = 255;

/** Which evidence decided a hit's class (classifyIndex's `reasons`). */
export const REASON_NONE = 0;
export const REASON_NP6 = 1;
export const REASON_RULE = 2;
export const REASON_BEHAVIOUR = 3;

/** The evidence in words, by reason code (the detail pane's "Class" line). */
export const REASON_TEXT = [
  'no rule or behaviour matched',
  "NP6's own classification",
  'a user-agent or address rule',
  'behaviour: clicked seconds after delivery, or several links within a second',
] as const;

export function hitClassName(code: number): HitClass | undefined {
  return HIT_CLASSES[code];
}

export function hitClassCode(name: string): number {
  const i = (HIT_CLASSES as readonly string[]).indexOf(name);
  return i < 0 ? NOT_A_HIT : i;
}

/**
 * Packs per-event classes and reasons (as classifyIndex returns them) into one byte per event:
 * NOT_A_HIT for events that are not hits, else `reason << 4 | class`.
 */
export function packClasses(classes: Uint8Array, reasons: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as number;
    out[i] = c === NOT_A_HIT ? NOT_A_HIT : (((reasons[i] as number) & 0x0f) << 4) | (c & 0x0f);
  }
  return out;
}

/** The class of a packed byte (NOT_A_HIT for a non-hit). */
export function classOfPacked(b: number): number {
  return b === NOT_A_HIT ? NOT_A_HIT : b & 0x0f;
}

/** The reason of a packed byte (REASON_NONE for a non-hit). */
export function reasonOfPacked(b: number): number {
  return b === NOT_A_HIT ? REASON_NONE : b >> 4;
}

/** Whether the Humans only switch keeps an event of this packed byte: non-hits and human hits. */
export function keptByHumansOnly(b: number): boolean {
  return b === NOT_A_HIT || (b & 0x0f) === CLASS_HUMAN;
}
