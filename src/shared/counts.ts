// Counts as a user reads them: thousands separators ("991,573 events") and the right number of the
// noun ("1 item", "2 items"). Every message, tooltip and description that shows a count uses these,
// so no surface says "1 items" or "item(s)". The format is fixed to English ('en'): the extension's
// words are English, and a count must read the same on every host whatever its locale. In
// src/shared (imports nothing) so the client, the core, the host glue and the webview all use it.

const NUMBER = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** "991,573"; a non-finite value as it is ("NaN" would otherwise read as a count). */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? NUMBER.format(n) : String(n);
}

/** The noun for `n` of it: `singular` for exactly 1, else `pluralForm` (default: singular + "s"). */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return n === 1 ? singular : pluralForm;
}

/** "1 item", "0 items", "991,573 events". */
export function count(n: number, singular: string, pluralForm?: string): string {
  return `${formatCount(n)} ${plural(n, singular, pluralForm)}`;
}
