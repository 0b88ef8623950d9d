// Splits a query's time range into windows fetched one after another (see windowedFetch.ts).

/** A half-open time range [start, end) in epoch ms. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** Splits [start, end) into consecutive windows of at most `windowMs`. */
export function planWindows(start: number, end: number, windowMs: number): TimeWindow[] {
  void start;
  void end;
  void windowMs;
  throw new Error('planWindows: not implemented yet');
}
