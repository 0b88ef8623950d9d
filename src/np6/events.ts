// The NP6 event model (API reference 8.1.0) and the accessors every view needs.
//
// NP6 answers with heterogeneous arrays discriminated by `type` (and `source.type`), and large parts
// of the detail are undocumented. So the model is deliberately open: an event is kept exactly as it
// arrived (unknown types and unknown fields included) and the helpers below *read* it defensively,
// returning `undefined` rather than throwing when a field is missing or has an unexpected shape.

/** The event types listed in the reference's discriminator. Others may appear and are kept. */
export const KNOWN_EVENT_TYPES = [
  'execution',
  'activation',
  'hit',
  'bounce',
  'cancellation',
  'complaint',
  'creation',
  'modification',
  'impression',
  'suppression',
  'optout',
  'reply',
] as const;
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

/** The types a campaign's email items produce, offered by default in queries (documented ones). */
export const EMAIL_CAMPAIGN_EVENT_TYPES = [
  'execution',
  'activation',
  'hit',
  'bounce',
  'cancellation',
  'complaint',
] as const satisfies readonly KnownEventType[];

/** Hit subtypes, as named in the `itemsEvents` body and in the per-subtype hit endpoints. */
export const HIT_SUBTYPES = ['open', 'form', 'unsubscribe', 'redirection', 'mirror'] as const;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `footprint` (contact id, unicity value, hash) or `id` ({value}); other shapes are kept as they are. */
export interface Np6Recipient {
  type?: string;
  id?: string;
  unicity?: string;
  hash?: string;
  value?: JsonValue;
  [key: string]: JsonValue | undefined;
}

/** The documented envelope. Every other field is preserved through the index signature. */
export interface Np6Event {
  type: string;
  id: string;
  /** Publication time, milliseconds since 1970-01-01 UTC. */
  timestamp: number;
  identity?: JsonObject;
  source?: { type?: string; detail?: JsonObject; [key: string]: unknown };
  [key: string]: unknown;
}

/** What the client found wrong with an element of the array; the element is still yielded. */
export function envelopeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string') return 'no string "type"';
  if (typeof v.id !== 'string') return 'no string "id"';
  if (typeof v.timestamp !== 'number' || !Number.isFinite(v.timestamp)) return 'no numeric "timestamp"';
  return undefined;
}

export function isNp6Event(value: unknown): value is Np6Event {
  return envelopeProblem(value) === undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function detail(e: Np6Event): Record<string, unknown> | undefined {
  return obj(obj(e.source)?.detail);
}

/** `email`, `notification`, `sms`, ... (`source.type`), or undefined. */
export function eventChannel(e: Np6Event): string | undefined {
  return str(obj(e.source)?.type);
}

/**
 * The part of the detail that names the action (item) and the recipient: `execution` for executions
 * and cancellations, `activation` for activations, hits and bounces; whichever exists otherwise.
 */
function actionPart(e: Np6Event): Record<string, unknown> | undefined {
  const d = detail(e);
  if (!d) return undefined;
  return obj(d.activation) ?? obj(d.execution) ?? obj(d.action);
}

/** The item / action id (`"000PE4"`, or an integer for notifications, returned as a string). */
export function eventItemId(e: Np6Event): string | undefined {
  return str(actionPart(e)?.id);
}

/** The recipient object: `execution.recipient` or `activation.receiver`. */
export function eventRecipientObject(e: Np6Event): Np6Recipient | undefined {
  const a = actionPart(e);
  if (!a) return undefined;
  return (obj(a.recipient) ?? obj(a.receiver)) as Np6Recipient | undefined;
}

/**
 * A stable key for "this recipient", the first that exists of: footprint id, `id`-type value,
 * unicity, hash, or the plain `recipient` string activations carry (an address).
 */
export function eventRecipient(e: Np6Event): string | undefined {
  const r = eventRecipientObject(e);
  const a = actionPart(e);
  if (r) {
    const key = str(r.id) ?? str(r.value) ?? str(r.unicity) ?? str(r.hash);
    if (key !== undefined) return key;
  }
  return str(a?.recipient);
}

/** A human label for the recipient: the unicity value (e-mail) when known, else the key. */
export function eventRecipientLabel(e: Np6Event): string | undefined {
  const r = eventRecipientObject(e);
  return str(r?.unicity) ?? str(actionPart(e)?.recipient) ?? eventRecipient(e);
}

export interface Np6Link {
  type?: string;
  label?: string;
  source?: string;
  destination?: string;
}

export function eventLink(e: Np6Event): Np6Link | undefined {
  const l = obj(detail(e)?.link);
  if (!l) return undefined;
  return { type: str(l.type), label: str(l.label), source: str(l.source), destination: str(l.destination) };
}

/**
 * The hit subtype. Documented names are the body's subtypes; the event carries it (as far as the
 * one example shows) in `link.type`. Some integrations report a `subtype` field: read that too.
 */
export function hitSubtype(e: Np6Event): string | undefined {
  if (e.type !== 'hit') return undefined;
  return str(e.subtype) ?? str(detail(e)?.subtype) ?? str(obj(detail(e)?.link)?.type);
}

/** `hit:open`-style key for lanes, legends and counts; the plain type for every other event. */
export function eventKind(e: Np6Event): string {
  const sub = hitSubtype(e);
  return sub ? `${e.type}:${sub}` : e.type;
}

export interface Np6ClientInfo {
  ip?: string;
  userAgent?: string;
  os?: string;
  device?: string;
  browser?: string;
}

export function eventClient(e: Np6Event): Np6ClientInfo | undefined {
  const c = obj(detail(e)?.client);
  if (!c) return undefined;
  const ua = obj(c.ua);
  const os = obj(ua?.os);
  const device = obj(ua?.device);
  const client = obj(ua?.client);
  const deviceName = [str(device?.brand), str(device?.name)].filter(Boolean).join(' ');
  return {
    ip: str(obj(c.ip)?.value) ?? str(c.ip),
    userAgent: str(ua?.ua) ?? str(c.ua),
    os: str(os?.name) ?? str(os?.family),
    device: deviceName || str(device?.type),
    browser: str(client?.name),
  };
}

/** Bounce verdict (`soft` / `hard`) and enhanced status code, when the event is a bounce. */
export function bounceInfo(
  e: Np6Event,
): { verdict?: string; code?: string; diagnostic?: string } | undefined {
  const b = obj(detail(e)?.bounce);
  if (!b) return undefined;
  const status = obj(b.status);
  return {
    verdict: str(obj(b.analysis)?.verdict),
    code: str(obj(status?.code)?.enhanced),
    diagnostic: str(status?.diagnostic),
  };
}
