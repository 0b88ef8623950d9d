// The optional check of an API key before it is saved: one tiny request (a one-second window long
// ago) that NP6 answers 401/403 for a refused key. Any other client error, 404 included, means the
// key was accepted; a 5xx, a redirect or no answer means it could not be checked. No retries: the
// user is waiting.
import { Np6Client } from './client';
import { errorWithHint, isNp6Error } from './errors';
import { Np6RedirectError } from './redirect';
import { checkId } from './ids';
import { allEmailEvents, type EventQuery } from './query';

export type KeyCheck = { ok: true } | { ok: false; refused: boolean; message: string };

const NIL_CAMPAIGN = '00000000-0000-0000-0000-000000000000';

export async function verifyKey(
  baseUrl: string,
  apiKey: string,
  campaignId = NIL_CAMPAIGN,
  timeoutMs = 15000,
): Promise<KeyCheck> {
  // A campaign id from a workspace's settings may be invalid: the check then uses the nil campaign.
  if (checkId(campaignId, 'campaign') !== undefined) campaignId = NIL_CAMPAIGN;
  const client = new Np6Client({ baseUrl, apiKey, timeoutMs, retry: { maxRetries: 0 } });
  const query: EventQuery = {
    campaignId,
    endpoint: 'campaign',
    itemsEvents: [allEmailEvents()],
    start: Date.UTC(2000, 0, 1),
    end: Date.UTC(2000, 0, 1, 0, 0, 1),
    sort: 'asc',
  };
  try {
    for await (const _ of client.streamRecords(query)) break;
    return { ok: true };
  } catch (e) {
    if (isNp6Error(e)) {
      const status = 'status' in e && typeof e.status === 'number' ? e.status : undefined;
      if (status === 401 || status === 403) {
        return {
          ok: false,
          refused: true,
          message: `NP6 refused this key (HTTP ${status}). ${e.hint}`.trim(),
        };
      }
      // A redirect is never followed with the key: it says the base URL is wrong, not that the key is good.
      if (e instanceof Np6RedirectError) return { ok: false, refused: false, message: errorWithHint(e) };
      // 404 and other client errors: the key got past NP6's check. A 5xx says nothing about it.
      if (e.kind === 'http' && (status === undefined || status < 500)) return { ok: true };
      return { ok: false, refused: false, message: errorWithHint(e) };
    }
    return { ok: false, refused: false, message: e instanceof Error ? e.message : String(e) };
  }
}
