// The "window k of about n" of a fetch: an estimate from the event rate seen so far that starts
// low and only grows, whatever the windows do (widen, narrow, cut, split on timeouts).
import assert from 'node:assert/strict';
import {
  DAY_MS,
  DEFAULT_WINDOW_POLICY,
  estimateWindowsLeft,
  GrowingTotal,
  HOUR_MS,
  nextWindowMs,
  splitWindow,
  type CoverageSoFar,
  type WindowPolicy,
} from '../../../src/core/windowPlan';

describe('window progress estimate', () => {
  it('errs low before anything is known (no "7/7502" for years of one-day windows)', () => {
    const years = 20 * 365 * DAY_MS;
    const left = estimateWindowsLeft(years, { coveredMs: 0, events: 0 });
    assert.equal(left, Math.ceil(years / DEFAULT_WINDOW_POLICY.maxWindowMs));
    assert.ok(left < 100, `${left}`);
  });

  it('follows the event rate seen so far, at the target events a window', () => {
    const policy: WindowPolicy = { ...DEFAULT_WINDOW_POLICY, targetEvents: 1000 };
    // 10,000 events in one day; 9 days left → about 90,000 events → 90 windows.
    assert.equal(estimateWindowsLeft(9 * DAY_MS, { coveredMs: DAY_MS, events: 10_000 }, policy), 90);
    // Never more windows than the narrowest allowed, never fewer than the widest.
    assert.equal(estimateWindowsLeft(10_000, { coveredMs: 1, events: 1e9 }, policy), 10);
    assert.equal(estimateWindowsLeft(0, { coveredMs: DAY_MS, events: 5 }, policy), 0);
    assert.equal(estimateWindowsLeft(HOUR_MS, { coveredMs: DAY_MS, events: 0 }, policy), 1);
  });

  it('a total that only grows and is never below the current window', () => {
    const t = new GrowingTotal();
    assert.equal(t.update(5, 1), 5);
    assert.equal(t.update(3, 2), 5, 'a smaller estimate does not lower it');
    assert.equal(t.update(4, 7), 7, 'never below the window being fetched');
    assert.equal(t.update(30.2, 8), 31);
    assert.equal(t.value, 31);
  });

  it('never counts backwards over a simulated fetch that widens, narrows, cuts and splits', () => {
    const policy: WindowPolicy = { ...DEFAULT_WINDOW_POLICY, targetEvents: 500, maxEvents: 1000 };
    const start = 0;
    const end = 60 * DAY_MS;
    // Bursty traffic: quiet days, then a send with a rush of events, then quiet again.
    const ratePerHour = (t: number): number => {
      const day = Math.floor(t / DAY_MS);
      if (day % 14 === 3) return 2000;
      if (day % 14 === 4) return 300;
      return 2;
    };
    const eventsIn = (a: number, b: number): number => {
      let n = 0;
      for (let t = a; t < b; t += HOUR_MS) n += (ratePerHour(t) * (Math.min(b, t + HOUR_MS) - t)) / HOUR_MS;
      return Math.round(n);
    };
    const seen: CoverageSoFar = { coveredMs: 0, events: 0 };
    const total = new GrowingTotal();
    const shown: [number, number][] = [];
    let cursor = start;
    let size = DAY_MS;
    let windowNo = 0;
    let splits = 0;
    const decisions = new Set<string>();
    while (cursor < end) {
      const winEnd = Math.min(end, cursor + size);
      windowNo++;
      shown.push([
        windowNo,
        total.update(windowNo - 1 + estimateWindowsLeft(end - cursor, seen, policy), windowNo),
      ]);
      let reached = winEnd;
      let events = eventsIn(cursor, winEnd);
      if (windowNo % 9 === 0 && splits < 3) {
        // A timeout: the rest is asked for in halves.
        const halves = splitWindow({ start: cursor, end: winEnd }, policy);
        if (halves) {
          splits++;
          decisions.add('split');
          size = halves[0].end - halves[0].start;
          continue;
        }
      }
      if (events > policy.maxEvents) {
        // Cut where the stream got to.
        let lo = cursor;
        while (eventsIn(cursor, lo + HOUR_MS) <= policy.maxEvents && lo + HOUR_MS < winEnd) lo += HOUR_MS;
        reached = Math.max(cursor + policy.minWindowMs, lo);
        events = eventsIn(cursor, reached);
        decisions.add('cut');
      }
      seen.coveredMs += reached - cursor;
      seen.events += events;
      const next = nextWindowMs(reached - cursor, events, policy);
      decisions.add(next > size ? 'widen' : next < size ? 'narrow' : 'keep');
      size = next;
      cursor = reached;
      shown.push([
        windowNo,
        total.update(windowNo + estimateWindowsLeft(end - cursor, seen, policy), windowNo),
      ]);
    }
    for (const d of ['widen', 'narrow', 'cut', 'split']) assert.ok(decisions.has(d), `the run had a ${d}`);
    for (let i = 1; i < shown.length; i++) {
      const [k, n] = shown[i]!;
      const [pk, pn] = shown[i - 1]!;
      assert.ok(k >= pk && n >= pn && n >= k, `${pk} of about ${pn} then ${k} of about ${n}`);
    }
    const [lastK, lastN] = shown[shown.length - 1]!;
    assert.equal(lastK, windowNo);
    // An estimate, but a useful one: not wildly above the windows actually fetched.
    assert.ok(lastN <= 3 * windowNo, `${lastK} of about ${lastN}`);
  });
});
