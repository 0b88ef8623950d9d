// Fixed buckets for "time from delivery to first open / first click": fixed so that two results
// (or two items) compare bucket by bucket.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimeBucket {
  readonly label: string;
  /** [from, to) in ms after delivery. */
  readonly from: number;
  readonly to: number;
}

export const DELAY_BUCKETS: readonly TimeBucket[] = [
  { label: '< 10 s', from: 0, to: 10_000 },
  { label: '10 s – 1 min', from: 10_000, to: MINUTE },
  { label: '1 – 10 min', from: MINUTE, to: 10 * MINUTE },
  { label: '10 – 60 min', from: 10 * MINUTE, to: HOUR },
  { label: '1 – 6 h', from: HOUR, to: 6 * HOUR },
  { label: '6 – 24 h', from: 6 * HOUR, to: DAY },
  { label: '1 – 3 d', from: DAY, to: 3 * DAY },
  { label: '3 – 7 d', from: 3 * DAY, to: 7 * DAY },
  { label: '≥ 7 d', from: 7 * DAY, to: Infinity },
];

/** The bucket of a delay (ms), -1 when it is negative, infinite (no such event) or not a number. */
export function delayBucket(ms: number): number {
  if (!(ms >= 0) || ms === Infinity) return -1;
  for (let b = 0; b < DELAY_BUCKETS.length; b++) if (ms < DELAY_BUCKETS[b]!.to) return b;
  return DELAY_BUCKETS.length - 1;
}
