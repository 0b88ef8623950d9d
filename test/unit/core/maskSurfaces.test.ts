// Masking on every surface of a stored result: the exports (each format, whole and part), the
// batches the timeline page receives (their string tables), and the detail pane's event JSON hold
// no address of the corpus, and give one recipient the same pseudonym in all of them; the salt
// kept in the result's summary keeps the pseudonyms after a reopen.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { exportedPart, writeExport, type ExportFormat } from '../../../src/core/exportFormat';
import { MASKING_NOTE, maskerOf, type Masker } from '../../../src/core/mask';
import { ResultStore, SUMMARY_FILE } from '../../../src/core/resultStore';
import { eventJsonText } from '../../../src/core/timeline/eventJsonText';
import { batchFromIndex, noTablesSent } from '../../../src/core/timeline/eventRows';
import { CampaignModel, renderEvent, UnitEvents } from '../../../src/demo/sandbox/generator';
import { eventRecipient, eventRecipientLabel, type Np6Event } from '../../../src/np6/events';
import { allEmailEvents } from '../../../src/np6/query';
import { deltaValues, type EventBatch } from '../../../src/shared/timeline/batch';
import { personalValuesOfLines } from '../personalValues';

/** Sandbox events: activations with addresses, bounces with addresses in diagnostics, hits with IPs. */
function sandboxCorpus(units: number): string[] {
  const model = new CampaignModel(
    11,
    { name: 'surfaces', recipients: units, items: 2, sendStart: Date.UTC(2026, 0, 5) },
    0,
  );
  const ev = new UnitEvents();
  const out: string[] = [];
  for (let u = 0; u < model.units; u++) {
    ev.fill(model, u);
    for (let j = 0; j < ev.count; j++) out.push(renderEvent(model, ev, j));
  }
  return out;
}

/** A hit whose link's query string and user agent carry an address, and an IP in the client. */
const HOSTILE = JSON.stringify({
  type: 'hit',
  id: 'h-hostile',
  timestamp: Date.UTC(2026, 0, 6),
  source: {
    type: 'email',
    detail: {
      hit: { type: 'redirection' },
      activation: { id: 'IT', recipient: { id: 'CONTACT42', unicity: 'jane.doe@corp.example' } },
      link: { type: 'redirection', destination: 'https://shop.example/?email=jane.doe@corp.example' },
      client: { ip: '198.51.100.23', ua: { ua: 'Mozilla/5.0 (proxy for mail.robot@corp.example)' } },
    },
  },
});

function holdsAny(text: string, values: Set<string>): string | undefined {
  for (const v of values) if (text.includes(v)) return v;
  return undefined;
}

class Collect extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    this.parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  get text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

async function exportText(
  store: ResultStore,
  format: ExportFormat,
  masker: Masker | undefined,
  indices?: number[],
): Promise<string> {
  const out = new Collect();
  const visible = indices ? { indices, filters: { text: 'x' } } : undefined;
  const { meta, records } = exportedPart(store, visible, masker);
  await writeExport(out, format, meta, records);
  return out.text;
}

/** The tables of all batches of the result, as the pump sends them (two batches, one delta each). */
async function sentTables(store: ResultStore, masker: Masker | undefined): Promise<EventBatch['tables'][]> {
  const sent = noTablesSent();
  const n = store.index.length;
  const half = Math.floor(n / 2);
  const a = await batchFromIndex(store.index, 0, half, sent, undefined, masker);
  const b = await batchFromIndex(store.index, half, n, sent, undefined, masker);
  assert.equal(a.count + b.count, n);
  return [a.tables, b.tables];
}

/** Table `name` whole, from the deltas (each starts where the previous ended). */
function table(deltas: EventBatch['tables'][], name: 'recipients' | 'labels'): string[] {
  const out: string[] = [];
  for (const d of deltas) {
    const t = d[name];
    if (!t) continue;
    assert.equal(t.from, out.length);
    out.push(...deltaValues(t));
  }
  return out;
}

describe('masking on every surface of a result', function () {
  this.timeout(60_000);
  const lines = [...sandboxCorpus(200), HOSTILE];
  const personal = personalValuesOfLines(lines);
  let dir: string;
  let store: ResultStore;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'np6-mask-'));
    store = await ResultStore.create(path.join(dir, 'r-mask'), {
      id: 'r-mask',
      campaignLabel: 'Mask',
      query: { campaignId: 'c', endpoint: 'campaign', itemsEvents: [allEmailEvents()], sort: 'none' },
    });
    for (const json of lines) store.append({ event: JSON.parse(json) as Np6Event, json });
    // Made while the fetch runs: its end writes the summary with the salt.
    store.maskSalt();
    await store.finish({ complete: true, missing: [] });
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the corpus holds addresses and IPs, and unmasked surfaces show them (the test can fail)', async () => {
    assert.ok(personal.has('jane.doe@corp.example') && personal.has('198.51.100.23'));
    assert.ok([...personal].filter((v) => v.includes('@')).length > 100);
    assert.ok(holdsAny(await exportText(store, 'export', undefined), personal));
    assert.ok(holdsAny(await exportText(store, 'csv', undefined), personal));
    assert.ok(holdsAny(JSON.stringify(await sentTables(store, undefined)), personal));
    assert.ok(holdsAny(await eventJsonText(store, store.index.length - 1), personal));
  });

  for (const format of ['export', 'array', 'ndjson', 'csv'] as const) {
    it(`a masked ${format} export holds no address, whole or part`, async () => {
      const m = maskerOf(store);
      const whole = await exportText(store, format, m);
      assert.equal(holdsAny(whole, personal), undefined, `${format}: ${holdsAny(whole, personal)}`);
      const part = await exportText(store, format, m, [0, 3, 5, store.index.length - 1]);
      assert.equal(holdsAny(part, personal), undefined);
      if (format === 'export') {
        const doc = JSON.parse(whole) as { masking?: unknown; count: number; events: unknown[] };
        assert.deepEqual(doc.masking, MASKING_NOTE);
        assert.equal(doc.events.length, store.index.length);
        assert.deepEqual((JSON.parse(part) as { masking?: unknown }).masking, MASKING_NOTE);
        assert.doesNotMatch(whole, new RegExp(store.summary.maskSalt!.replace(/[+/=]/g, '.')));
      }
      if (format === 'csv') assert.equal(whole.trimEnd().split('\r\n').length, store.index.length + 1);
    });
  }

  it('an unmasked export says nothing of masking', async () => {
    assert.equal('masking' in (JSON.parse(await exportText(store, 'export', undefined)) as object), false);
  });

  it('the batches sent to the page hold no address, and the same rows', async () => {
    const masked = await sentTables(store, maskerOf(store));
    const text = JSON.stringify(masked);
    assert.equal(holdsAny(text, personal), undefined, holdsAny(text, personal));
    const plain = await sentTables(store, undefined);
    assert.equal(table(masked, 'recipients').length, table(plain, 'recipients').length);
    assert.ok(table(masked, 'recipients').every((r) => /^(person|id|ip)-[0-9a-f]{12}$/.test(r)));
  });

  it('the event JSON of the detail pane holds no address', async () => {
    const m = maskerOf(store);
    for (let i = 0; i < store.index.length; i++) {
      const json = await eventJsonText(store, i, m);
      assert.equal(holdsAny(json, personal), undefined, `event ${i}`);
    }
  });

  it('gives one recipient the same pseudonym in the timeline, the event JSON and every export', async () => {
    const m = maskerOf(store);
    const tables = await sentTables(store, m);
    const recipients = table(tables, 'recipients');
    const labels = table(tables, 'labels');
    // Exports are in time order: their events are found by id.
    const byId = (events: Np6Event[]): Map<unknown, Np6Event> => new Map(events.map((e) => [e.id, e]));
    const exported = byId(
      (JSON.parse(await exportText(store, 'export', m)) as { events: Np6Event[] }).events,
    );
    const ndjson = byId(
      (await exportText(store, 'ndjson', maskerOf(store)))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Np6Event),
    );
    const csv = await exportText(store, 'csv', maskerOf(store));
    let checked = 0;
    for (let i = 0; i < store.index.length; i++) {
      const code = store.index.recipientCode(i);
      if (code < 0) continue;
      const shown = recipients[code]!;
      const fromJson = JSON.parse(await eventJsonText(store, i, maskerOf(store))) as Np6Event;
      assert.equal(eventRecipient(fromJson), shown, `event ${i}: detail pane`);
      const id = (await store.readEvent(i)).id;
      assert.equal(eventRecipient(exported.get(id)!), shown, `event ${i}: export`);
      assert.equal(eventRecipient(ndjson.get(id)!), shown, `event ${i}: ndjson`);
      const labelCode = store.index.labelCode(i);
      const label = labelCode >= 0 ? labels[labelCode]! : shown;
      assert.equal(eventRecipientLabel(exported.get(id)!), label, `event ${i}: label`);
      assert.ok(csv.includes(`,${label},`), `event ${i}: csv`);
      checked++;
    }
    assert.ok(checked > 100);
  });

  it('keeps the pseudonyms after a reopen (the salt is in summary.json), another result has others', async () => {
    const before = maskerOf(store).pseudonym('jane.doe@corp.example');
    const again = await ResultStore.open(path.join(dir, 'r-mask'));
    try {
      assert.equal(maskerOf(again).pseudonym('jane.doe@corp.example'), before);
    } finally {
      await again.close();
    }
    // A finished result without a salt gets one on first use, written to its summary.
    const other = await ResultStore.create(path.join(dir, 'r-other'), {
      id: 'r-other',
      campaignLabel: 'Other',
      query: { campaignId: 'c', endpoint: 'campaign', itemsEvents: [allEmailEvents()], sort: 'none' },
    });
    await other.finish({ complete: true, missing: [] });
    const salt = other.maskSalt();
    assert.notEqual(maskerOf(other).pseudonym('jane.doe@corp.example'), before);
    const file = path.join(dir, 'r-other', SUMMARY_FILE);
    const deadline = Date.now() + 5000;
    while ((JSON.parse(readFileSync(file, 'utf8')) as { maskSalt?: string }).maskSalt !== salt) {
      assert.ok(Date.now() < deadline, 'the salt reaches summary.json');
      await new Promise((r) => setTimeout(r, 20));
    }
    await other.close();
  });
});
