// Types of tally.cjs (the unit tests import it from TypeScript).
export interface Tier {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}
export interface Gate {
  name: string;
  ok: boolean;
  note: string;
}
/** What tools/test/countingReporter.cjs writes. */
export interface MochaResults {
  planned: number;
  passed: number;
  failed: number;
  pending: number;
  notRun: number;
  hookFailures: string[];
  failures?: string[];
  finished: boolean;
}
/** What test/ui/uiHarness.mjs writes. */
export interface UiResults {
  suite: string;
  planned: number | null;
  passed: number;
  failed: number;
  pending: number;
  notRun: number;
  notRunNames: string[];
  failures?: string[];
  crashed: string | null;
  finished: boolean;
}
export function notRunTier(name: string, why: string): Tier;
export function mochaTier(name: string, r: MochaResults | undefined, code: number): Tier;
export function uiTier(name: string, r: UiResults | undefined, code: number): Tier;
export function summaryLines(gates: Gate[], tiers: Tier[]): { lines: string[]; failed: boolean };
