// The host's readers for the shared batch format (src/shared/timeline/batch.ts): the strings an
// event contributes to the columns, and batches read straight from a result store's index. Host
// side only: it knows the NP6 event model and the store's index, which the webview never sees.

import {
  eventClient,
  eventItemId,
  eventKind,
  eventRecipient,
  eventRecipientLabel,
  type Np6Event,
} from '../../np6/events';
import { linkKey, type EventIndex } from '../eventIndex';
import type { ClientRow, EventBatch, RowStrings, TableDelta, TableName } from '../../shared/timeline/batch';

/** "device / os · browser", the parts that exist. */
export function clientText(e: Np6Event): string | undefined {
  const c = eventClient(e);
  if (!c) return undefined;
  const dev = [c.device, c.os].filter((p): p is string => !!p).join(' / ');
  const label = [dev, c.browser].filter((p): p is string => !!p).join(' · ');
  return label || undefined;
}

/** The recipient label when it says more than the key (an e-mail for a contact id). */
export function recipientLabelText(e: Np6Event): string | undefined {
  const label = eventRecipientLabel(e);
  return label !== eventRecipient(e) ? label : undefined;
}

/** The strings of one event, read exactly as the result store's index reads them. */
export function rowStrings(e: Np6Event): RowStrings {
  return {
    kind: eventKind(e),
    item: eventItemId(e),
    recipient: eventRecipient(e),
    link: linkKey(e),
    client: clientText(e),
    agent: eventClient(e)?.userAgent,
    label: recipientLabelText(e),
  };
}

/** The client strings of one event, for a ClientColumnsBuilder. */
export function clientRow(e: Np6Event): ClientRow {
  return { client: clientText(e), agent: eventClient(e)?.userAgent, label: recipientLabelText(e) };
}

/** What a batch reads of a result: the store's index (contract C). */
export type IndexColumns = EventIndex;

/** How many strings of each index table the receiver already has. */
export type SentTables = Record<'kinds' | 'items' | 'recipients' | 'links', number>;

/**
 * A batch of rows [from, to) read straight from a result store's index (codes are the index's own),
 * plus the strings of its tables not yet sent (`sent` is updated). Client and agent are not in the
 * index: they stay -1 here and arrive later as a `ClientColumns` message.
 */
export function batchFromIndex(index: IndexColumns, from: number, to: number, sent: SentTables): EventBatch {
  const count = Math.max(0, to - from);
  const ts = new Float64Array(count);
  const kind = new Int32Array(count);
  const item = new Int32Array(count);
  const recipient = new Int32Array(count);
  const link = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const i = from + j;
    ts[j] = index.timestamp(i);
    kind[j] = index.kindCode(i);
    item[j] = index.itemCode(i);
    recipient[j] = index.recipientCode(i);
    link[j] = index.linkCode(i);
  }
  const tables: Partial<Record<TableName, TableDelta>> = {};
  for (const name of ['kinds', 'items', 'recipients', 'links'] as const) {
    const all = index[name];
    if (all.length > sent[name]) {
      tables[name] = { from: sent[name], values: all.slice(sent[name]) };
      sent[name] = all.length;
    }
  }
  return {
    from,
    count,
    ts,
    kind,
    item,
    recipient,
    link,
    client: new Int32Array(count).fill(-1),
    agent: new Int32Array(count).fill(-1),
    label: new Int32Array(count).fill(-1),
    tables,
  };
}
