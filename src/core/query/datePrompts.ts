// What the custom start and end steps say while the user types: the prompt ("Start (inclusive)")
// and the accepted forms stay visible, and the live preview (UTC and the display zone, by name)
// or the refusal is added to them, in one message. VS Code shows an input box's validation
// message in place of its prompt, so a preview alone there would hide the prompt.
import { describeRange, formatInstant, parseDateInput } from '../dates';

/** The short list of accepted forms (the parse errors give the long one). */
export const DATE_FORMS = '2024-05-01, 2024-05-01T09:00, …Z or +02:00, epoch ms, now, -2h, -7d';

export type DateCheck = { error: string } | { info: string };

const LABEL = { start: 'Start (inclusive)', end: 'End (exclusive)' } as const;

/** The prompt of a custom bound: what it is, the zone dates without offset are read in, the forms. */
export function datePrompt(bound: 'start' | 'end', zone: string): string {
  return `${LABEL[bound]}, read in ${zone}: ${DATE_FORMS}`;
}

/** "2024-05-01 07:00:00 UTC  ·  Europe/Paris 2024-05-01 09:00:00 +02:00" (UTC alone in UTC). */
export function previewInstant(ms: number, zone: string): string {
  const utc = formatInstant(ms, 'UTC');
  return zone === 'UTC' ? utc : `${utc}  ·  ${zone} ${formatInstant(ms, zone)}`;
}

/** The range in UTC, then in the display zone named. */
export function previewRange(start: number, end: number, zone: string): string {
  const utc = describeRange(start, end, 'UTC');
  return zone === 'UTC' ? utc : `${utc}  ·  ${zone} ${describeRange(start, end, zone)}`;
}

/** The prompt with the preview (or the refusal) ahead of the forms. */
function withPrompt(bound: 'start' | 'end', zone: string, text: string): string {
  return `${LABEL[bound]}: ${text}  —  read in ${zone}: ${DATE_FORMS}`;
}

/** Checks a typed start; `info` is the message with its preview. */
export function checkStart(text: string, now: number, zone: string): DateCheck {
  const p = parseDateInput(text, now, zone);
  if ('error' in p) return { error: withPrompt('start', zone, p.error) };
  return { info: withPrompt('start', zone, previewInstant(p.ms, zone)) };
}

/** Checks a typed end against the accepted start; `info` previews the whole range. */
export function checkEnd(start: string, text: string, now: number, zone: string): DateCheck {
  const s = parseDateInput(start, now, zone);
  if ('error' in s) return { error: withPrompt('end', zone, `the start is refused (${s.error}): go Back`) };
  const e = parseDateInput(text, now, zone);
  if ('error' in e) return { error: withPrompt('end', zone, e.error) };
  if (e.ms <= s.ms) {
    return {
      error: withPrompt(
        'end',
        zone,
        `not after the start (${previewInstant(s.ms, zone)}): the end is exclusive, choose a later end.`,
      ),
    };
  }
  return { info: withPrompt('end', zone, previewRange(s.ms, e.ms, zone)) };
}
