// The host's readers for the shared batch format (src/shared/timeline/batch.ts): the strings an
// event contributes to the columns, and batches read straight from a result store's index. Host
// side only: it knows the NP6 event model and the store's index, which the webview never sees.

import { eventItemId, eventKind, eventRecipient, type Np6Event } from '../../np6/events';
import { clientText, linkKey, recipientLabelText, userAgentText, type EventIndex } from '../eventIndex';
import type { Masker } from '../mask';
import type { Yielder } from '../../shared/steps';
import { maskTableValues } from './maskTables';
import {
  codeColumn,
  packDelta,
  type CodeColumn,
  TABLE_NAMES,
  type EventBatch,
  type RowStrings,
  type TableDelta,
  type TableName,
} from '../../shared/timeline/batch';

/** The strings of one event, read exactly as the result store's index reads them. */
export function rowStrings(e: Np6Event): RowStrings {
  return {
    kind: eventKind(e),
    item: eventItemId(e),
    recipient: eventRecipient(e),
    link: linkKey(e),
    client: clientText(e),
    agent: userAgentText(e),
    label: recipientLabelText(e),
  };
}

/** What a batch reads of a result: the store's index (contract C). */
export type IndexColumns = EventIndex;

/** How many strings of each index table the receiver already has. */
export type SentTables = Record<TableName, number>;

/** Nothing sent yet (a new receiver, or a restart from row 0). */
export function noTablesSent(): SentTables {
  return { kinds: 0, items: 0, recipients: 0, links: 0, clients: 0, agents: 0, labels: 0 };
}

/** The largest code of a column (-1 when it has none). */
function largest(c: CodeColumn): number {
  let m = -1;
  for (let j = 0; j < c.length; j++) if ((c[j] as number) > m) m = c[j] as number;
  return m;
}

/** Rows filled between two looks at the clock: a few hundred microseconds of work. */
const ROWS_PER_CHECK = 4096;

/**
 * A batch of rows [from, to) read straight from a result store's index (codes are the index's own),
 * every column included, plus the table strings these rows use that were not sent yet (`sent` is
 * updated; strings of later rows go with them). With a
 * `slice`, the loop yields to the event loop when it has run for the slice's time, so a large
 * batch never holds the extension host; appends may then land meanwhile, which is harmless: the
 * rows are read by index and the table deltas are taken after the last row, so they cover every
 * code the rows hold. With a `masker`, the table strings go out masked (maskTables.ts): codes
 * are unchanged, so filters and counts see the same events.
 */
export async function batchFromIndex(
  index: IndexColumns,
  from: number,
  to: number,
  sent: SentTables,
  slice?: Yielder,
  masker?: Masker,
): Promise<EventBatch> {
  const count = Math.max(0, to - from);
  const ts = new Float64Array(count);
  // Every code of rows below `to` is below its table's size now (tables only grow).
  const kind = codeColumn(count, index.kinds.length);
  const item = codeColumn(count, index.items.length);
  const recipient = codeColumn(count, index.recipients.length);
  const link = codeColumn(count, index.links.length);
  const client = codeColumn(count, index.clients.length);
  const agent = codeColumn(count, index.agents.length);
  const label = codeColumn(count, index.labels.length);
  const columns: Record<TableName, CodeColumn> = {
    kinds: kind,
    items: item,
    recipients: recipient,
    links: link,
    clients: client,
    agents: agent,
    labels: label,
  };
  for (let j = 0; j < count; j++) {
    if (slice && j % ROWS_PER_CHECK === ROWS_PER_CHECK - 1) await slice.maybeYield();
    const i = from + j;
    ts[j] = index.timestamp(i);
    kind[j] = index.kindCode(i);
    item[j] = index.itemCode(i);
    recipient[j] = index.recipientCode(i);
    link[j] = index.linkCode(i);
    client[j] = index.clientCode(i);
    agent[j] = index.agentCode(i);
    label[j] = index.labelCode(i);
  }
  // Only the strings these rows need: a table's codes are given in the order rows first use them,
  // so the rows up to `to` use codes up to their largest one. The table also holds the strings of
  // rows not sent yet (a fetch goes on appending; a page that loads late finds a quarter of a
  // million rows): all of them in the first batch was 200,000 strings joined and serialised in one
  // go, a 100 ms task in workbench profiles. They come with the rows that use them.
  const tables: Partial<Record<TableName, TableDelta>> = {};
  for (const name of TABLE_NAMES) {
    const needed = largest(columns[name]) + 1;
    if (needed > sent[name]) {
      const values = index[name].slice(sent[name], needed);
      tables[name] = packDelta(sent[name], masker ? maskTableValues(name, values, masker) : values);
      sent[name] = needed;
    }
  }
  return { from, count, ts, kind, item, recipient, link, client, agent, label, tables };
}
