// What each funnel stage means in NP6 events (API reference 8.1.0, see ../shared/np6-api.md §4).
// The definitions are written out in the README ("Statistics"); keep both in step.
//
//   requested     an `execution` (a send was asked for)
//   sent          an `activation` (the message was produced and handed to the MTA)
//   delivered     sent and no `bounce` for that message, or a `delivery`/`delivered` event
//                 (undocumented, reported by integrators), or any hit (a hit proves the mail arrived)
//   opened        a hit `open` or `mirror` (the web version is read)
//   clicked       a hit `redirection` (tracked link) or `form`
//   unsubscribed  a hit `unsubscribe` or an `optout` event
//   bounced       a `bounce`; complained: a `complaint`; cancelled: a `cancellation`
//
// A "message" is one (item, recipient) pair; stages are decided per message, then a recipient is
// in a stage of a scope when one of its messages in that scope is.

export const R_EXECUTION = 1;
export const R_ACTIVATION = 2;
export const R_BOUNCE = 4;
export const R_DELIVERY = 8;
export const R_OPEN = 16;
export const R_CLICK = 32;
export const R_UNSUB = 64;
export const R_COMPLAINT = 128;
export const R_CANCEL = 256;
export const R_HIT = 512;
/** Derived after the pass (see `isDelivered`), never set by an event. */
export const R_DELIVERED = 1024;

/** The roles (bits above) of an event of kind `kind` ('hit:open', 'bounce', ...). */
export function kindRoles(kind: string): number {
  if (kind === 'execution') return R_EXECUTION;
  if (kind === 'activation') return R_ACTIVATION;
  if (kind === 'bounce') return R_BOUNCE;
  if (kind === 'delivery' || kind === 'delivered') return R_DELIVERY;
  if (kind === 'complaint') return R_COMPLAINT;
  if (kind === 'cancellation') return R_CANCEL;
  if (kind === 'optout') return R_UNSUB;
  if (kind === 'hit' || kind.startsWith('hit:')) {
    const sub = kind.slice(4);
    if (sub === 'open' || sub === 'mirror') return R_HIT | R_OPEN;
    if (sub === 'redirection' || sub === 'form') return R_HIT | R_CLICK;
    if (sub === 'unsubscribe') return R_HIT | R_UNSUB;
    return R_HIT;
  }
  return 0;
}

/** Whether a message with these roles counts as delivered. */
export function isDelivered(bits: number): boolean {
  return ((bits & R_ACTIVATION) !== 0 && (bits & R_BOUNCE) === 0) || (bits & (R_DELIVERY | R_HIT)) !== 0;
}

export const FUNNEL_STAGES = ['requested', 'sent', 'delivered', 'opened', 'clicked', 'unsubscribed'] as const;
export const SIDE_STAGES = ['bounced', 'complained', 'cancelled'] as const;
export type StageName = (typeof FUNNEL_STAGES)[number] | (typeof SIDE_STAGES)[number];

/** The bit that puts a message in a stage. */
export const STAGE_BIT: Record<StageName, number> = {
  requested: R_EXECUTION,
  sent: R_ACTIVATION,
  delivered: R_DELIVERED,
  opened: R_OPEN,
  clicked: R_CLICK,
  unsubscribed: R_UNSUB,
  bounced: R_BOUNCE,
  complained: R_COMPLAINT,
  cancelled: R_CANCEL,
};

/** The stage a rate is taken over: bounces over sent, everything after delivery over delivered. */
export const RATE_BASE: Partial<Record<StageName, StageName>> = {
  delivered: 'sent',
  bounced: 'sent',
  opened: 'delivered',
  clicked: 'delivered',
  unsubscribed: 'delivered',
  complained: 'delivered',
};

/** Stages that humans-only figures differ in (they come from hits). */
export const HIT_STAGE_BITS = R_OPEN | R_CLICK | R_UNSUB;
