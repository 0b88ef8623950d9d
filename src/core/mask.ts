// Masking of personal data: recipient addresses, footprint ids and hashes, and IP addresses are
// replaced by stable per-result pseudonyms, so the journey of one recipient still links up in a
// masked timeline, copy, statistic or export, but no address leaves.
//
// A pseudonym is HMAC-SHA256(salt, value), truncated: the salt is 32 random bytes made once per
// result (kept in memory, and in the result's summary so that a reopened result keeps its
// pseudonyms); it is never the API key nor derived from it. Without the salt a pseudonym cannot
// be reversed by hashing candidate addresses.

import { createHmac, randomBytes } from 'node:crypto';
import { parseIp } from './classify/rules';

/** Fields whose string value is a personal identifier wherever they appear in an event. */
const PERSONAL_KEYS = new Set(['unicity', 'hash', 'recipient', 'email', 'ip', 'address']);
/** Objects whose `id` / `value` is a contact identifier (footprint id, `id`-type receiver). */
const IDENTITY_PARENTS = new Set(['recipient', 'receiver', 'contact', 'target']);

// The local part leaves out = ? & ' so that an address inside a URL's query is cut at its edges.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
/** IPv6 candidates (eight groups, or a "::" form); confirmed with parseIp. */
const IPV6 =
  /(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:)*[0-9a-fA-F]{0,4}::(?:[0-9a-fA-F]{1,4}:)*[0-9a-fA-F]{0,4}/g;

/** What an export's metadata says about masking (written only when masking is on). */
export interface MaskingNote {
  method: 'hmac-sha256';
  fields: string;
  note: string;
}

export const MASKING_NOTE: MaskingNote = {
  method: 'hmac-sha256',
  fields: 'recipient addresses, footprint ids and hashes, contact ids, IP addresses (also inside free text)',
  note: 'Pseudonyms are stable within this result only (per-result random salt, not included).',
};

/** A new random salt for a result, base64 (store it with the result, never show it). */
export function newMaskSalt(): string {
  return randomBytes(32).toString('base64');
}

/** Per result id, the salt of its pseudonyms for this session (until the summary keeps one). */
const sessionSalts = new Map<string, string>();

/**
 * The masker of a result: with `storedSalt` (kept in the result's summary) its pseudonyms survive a
 * reload; without, a salt made once per result and session, so the timeline, copies, statistics
 * and exports of one result agree within a session.
 */
export function resultMasker(resultId: string, storedSalt?: string): Masker {
  let salt = storedSalt ?? sessionSalts.get(resultId);
  if (!salt) {
    salt = newMaskSalt();
    sessionSalts.set(resultId, salt);
  }
  return new Masker(salt);
}

/** What a result's masker needs of it: its id, and the salt its summary keeps (made on first use). */
export interface MaskSaltSource {
  readonly summary: { readonly id: string };
  maskSalt(): string;
}

/**
 * The masker of a stored result: every surface (timeline, detail pane, copies, statistics, exports)
 * asks this one, so one recipient has the same pseudonym everywhere, also after a reload.
 */
export function maskerOf(result: MaskSaltSource): Masker {
  return resultMasker(result.summary.id, result.maskSalt());
}

export class Masker {
  private readonly salt: Buffer;
  private readonly memo = new Map<string, string>();

  constructor(salt: string) {
    if (!salt) throw new Error('A masker needs a salt (newMaskSalt()).');
    this.salt = Buffer.from(salt, 'base64');
  }

  /** The pseudonym of one identifier: `person-…` for an address, `ip-…`, else `id-…`. */
  pseudonym(value: string): string {
    let p = this.memo.get(value);
    if (p === undefined) {
      const prefix = value.includes('@') ? 'person' : parseIp(value) ? 'ip' : 'id';
      const h = createHmac('sha256', this.salt).update(value, 'utf8').digest('hex').slice(0, 12);
      p = `${prefix}-${h}`;
      // Bounded: a memo the size of a result's distinct identifiers is fine; beyond, stop adding.
      if (this.memo.size < 1_000_000) this.memo.set(value, p);
    }
    return p;
  }

  /** Free text with every e-mail address and IP address in it replaced by its pseudonym. */
  maskText(s: string): string {
    let out = s.includes('@') ? s.replace(EMAIL, (m) => this.pseudonym(m)) : s;
    if (/\d\.\d/.test(out)) out = out.replace(IPV4, (m) => this.pseudonym(m));
    if (out.includes(':')) {
      out = out.replace(IPV6, (m) => (m.length >= 3 && parseIp(m) ? this.pseudonym(m) : m));
    }
    return out;
  }

  /** A deep copy of a JSON value with personal fields pseudonymised and free text masked. */
  maskValue(v: unknown, key = '', parentKey = ''): unknown {
    if (typeof v === 'string') {
      if (PERSONAL_KEYS.has(key)) return this.pseudonym(v);
      if (IDENTITY_PARENTS.has(parentKey) && (key === 'id' || key === 'value')) return this.pseudonym(v);
      if (parentKey === 'ip' && key === 'value') return this.pseudonym(v);
      return this.maskText(v);
    }
    if (typeof v === 'number' && IDENTITY_PARENTS.has(parentKey) && (key === 'id' || key === 'value')) {
      return this.pseudonym(String(v));
    }
    if (Array.isArray(v)) return v.map((x) => this.maskValue(x, key, parentKey));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[this.maskText(k)] = this.maskValue(x, k, key);
      return out;
    }
    return v;
  }

  /** One event's JSON text, masked (one line). Text that is not JSON is masked as free text. */
  maskJson(json: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return this.maskText(json);
    }
    return JSON.stringify(this.maskValue(parsed));
  }

  /** An export record, masked: only `json` is kept (its stored bytes would hold the addresses). */
  maskRecord(r: { readonly json: string }): { readonly json: string } {
    return { json: this.maskJson(r.json) };
  }
}

/** Wraps a record stream so that every record comes out masked (for the export writers). */
export async function* maskedRecords(
  records: AsyncIterable<{ readonly json: string }>,
  masker: Masker,
): AsyncGenerator<{ readonly json: string }> {
  for await (const r of records) yield masker.maskRecord(r);
}
