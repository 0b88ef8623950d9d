// The compact in-memory index of a result: one entry per stored event, in arrival order, kept in
// typed-array columns so a million events cost a few tens of MB instead of a million JS objects.
// Strings (kinds, items, recipients, links) are interned in tables; columns hold their codes.

/** Read-only view of the index the timeline, counts and filters use. Code -1 means "none". */
export interface EventIndex {
  readonly length: number;
  /** Epoch ms; NaN when the event had no numeric timestamp. */
  timestamp(i: number): number;
  /** Code into `kinds` ('execution', 'hit:open', ...). */
  kindCode(i: number): number;
  itemCode(i: number): number;
  recipientCode(i: number): number;
  linkCode(i: number): number;
  readonly kinds: readonly string[];
  readonly items: readonly string[];
  readonly recipients: readonly string[];
  readonly links: readonly string[];
}
