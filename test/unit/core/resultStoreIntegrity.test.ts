// A stored result that lost or damaged events on disk must reopen as incomplete, with the reason,
// and say so in summary.json (tree tooltip), the panel's info and export metadata. Real files in
// a temporary folder, damaged the way a disk, a crash or a person would.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fsModule from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { writeExport } from '../../../src/core/exportFormat';
import { describeCompleteness } from '../../../src/core/result';
import { EVENTS_FILE, ResultRemovedError, ResultStore, SUMMARY_FILE } from '../../../src/core/resultStore';
import { resultInfo } from '../../../src/core/timeline/resultInfo';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 10_000_000,
  sort: 'none',
};
const N = 2000;

function events(n: number): Np6Event[] {
  return Array.from({ length: n }, (_, i) => ({
    type: i % 3 ? 'hit' : 'execution',
    id: `ev-${i}`,
    timestamp: i * 1000,
    note: `line ${i} é`,
  }));
}

async function completeResult(dir: string): Promise<void> {
  const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
  for (const e of events(N)) store.append(record(e));
  await store.finish({ complete: true, missing: [] });
  await store.close();
}

function lines(dir: string): string[] {
  return fs.readFileSync(path.join(dir, EVENTS_FILE), 'utf8').split('\n');
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

/** Opens the damaged result and checks every place the damage must show. */
async function expectDamaged(dir: string, unreadable: number, held: number): Promise<void> {
  const store = await ResultStore.open(dir);
  try {
    const s = store.summary;
    const reason = `stored file damaged: ${unreadable} event${unreadable === 1 ? '' : 's'} unreadable; re-run or resume`;
    assert.equal(store.index.length, held);
    assert.equal(s.complete, false);
    assert.equal(s.error?.message, reason);
    assert.equal(s.count, held);
    // Resume has windows to fetch: the whole range (the lost events cannot be placed in time).
    assert.deepEqual(
      s.missing.map((w) => [w.start, w.end]),
      [[QUERY.start, QUERY.end]],
    );
    assert.match(describeCompleteness(s), /stored file damaged/);
    // The panel's banner text and the tree's summary.json.
    const info = resultInfo(store, false);
    assert.equal(info.complete, false);
    assert.match(info.completeness, new RegExp(reason.replace(/[;]/g, '.')));
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, SUMMARY_FILE), 'utf8')) as {
      complete: boolean;
      error?: { message: string };
      count: number;
    };
    assert.equal(onDisk.complete, false);
    assert.equal(onDisk.error?.message, reason);
    assert.equal(onDisk.count, held);
    // Export metadata: complete false, the reason, and the events that are there.
    const out = new Sink();
    await writeExport(out, 'export', s, store.records());
    const doc = JSON.parse(out.text) as {
      complete: boolean;
      count: number;
      error?: { message: string };
      events: unknown[];
    };
    assert.equal(doc.complete, false);
    assert.equal(doc.error?.message, reason);
    assert.equal(doc.events.length, held);
    assert.equal(doc.count, held);
  } finally {
    await store.close();
  }
  // And it stays so on the next open (the count now matches the file, the summary keeps the reason).
  const again = await ResultStore.open(dir);
  assert.equal(again.summary.complete, false);
  assert.match(again.summary.error?.message ?? '', /stored file damaged/);
  await again.close();
}

describe('ResultStore integrity on reopen', () => {
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('np6-integrity-');
    await completeResult(dir);
  });
  afterEach(() => removeDir(dir));

  it('an intact complete result stays complete', async () => {
    const store = await ResultStore.open(dir);
    assert.equal(store.summary.complete, true);
    assert.equal(store.index.length, N);
    await store.close();
  });

  it('the last line lost', async () => {
    const l = lines(dir); // ends with '' after the last newline
    fs.writeFileSync(path.join(dir, EVENTS_FILE), l.slice(0, N - 1).join('\n') + '\n');
    await expectDamaged(dir, 1, N - 1);
  });

  it('the last line cut in the middle (torn)', async () => {
    const file = path.join(dir, EVENTS_FILE);
    fs.truncateSync(file, fs.statSync(file).size - 10);
    await expectDamaged(dir, 1, N - 1);
  });

  it('a middle line lost', async () => {
    const l = lines(dir);
    l.splice(700, 1);
    fs.writeFileSync(path.join(dir, EVENTS_FILE), l.join('\n'));
    await expectDamaged(dir, 1, N - 1);
  });

  it('a middle line corrupted', async () => {
    const l = lines(dir);
    l[700] = l[700]!.slice(0, 20) + '\u0000garbage';
    fs.writeFileSync(path.join(dir, EVENTS_FILE), l.join('\n'));
    await expectDamaged(dir, 1, N - 1);
  });

  it('600 lines lost', async () => {
    const l = lines(dir);
    l.splice(1000, 600);
    fs.writeFileSync(path.join(dir, EVENTS_FILE), l.join('\n'));
    await expectDamaged(dir, 600, N - 600);
  });

  it('the whole file emptied', async () => {
    fs.writeFileSync(path.join(dir, EVENTS_FILE), '');
    await expectDamaged(dir, N, 0);
  });

  it('the file deleted', async () => {
    fs.rmSync(path.join(dir, EVENTS_FILE));
    await expectDamaged(dir, N, 0);
  });

  it('a resume that fetches everything again makes it complete once more', async () => {
    fs.writeFileSync(path.join(dir, EVENTS_FILE), lines(dir).slice(0, 500).join('\n') + '\n');
    const store = await ResultStore.open(dir);
    assert.equal(store.summary.complete, false);
    for (const e of events(N)) store.append(record(e)); // de-duplicated by id
    await store.finish({ complete: true, missing: [] });
    assert.equal(store.summary.count, N);
    await store.close();
    const again = await ResultStore.open(dir);
    assert.equal(again.summary.complete, true);
    assert.equal(again.index.length, N);
    await again.close();
  });

  it('refuses an events file or summary that is a symbolic link', async () => {
    const elsewhere = path.join(dir, 'elsewhere.ndjson');
    fs.renameSync(path.join(dir, EVENTS_FILE), elsewhere);
    fs.symlinkSync(elsewhere, path.join(dir, EVENTS_FILE));
    await assert.rejects(ResultStore.open(dir), /symbolic link/);
    fs.rmSync(path.join(dir, EVENTS_FILE));
    fs.renameSync(elsewhere, path.join(dir, EVENTS_FILE));
    const summaryElsewhere = path.join(dir, 'elsewhere.json');
    fs.renameSync(path.join(dir, SUMMARY_FILE), summaryElsewhere);
    fs.symlinkSync(summaryElsewhere, path.join(dir, SUMMARY_FILE));
    await assert.rejects(ResultStore.open(dir), /symbolic link/);
  });

  it('refuses to create a result whose events file name is a planted link', async () => {
    const fresh = path.join(dir, 'fresh');
    fs.mkdirSync(fresh);
    const target = path.join(dir, 'target.txt');
    fs.writeFileSync(target, 'do not touch\n');
    fs.symlinkSync(target, path.join(fresh, EVENTS_FILE));
    await assert.rejects(ResultStore.create(fresh, { id: 'f', campaignLabel: 'C', query: QUERY }));
    assert.equal(fs.readFileSync(target, 'utf8'), 'do not touch\n');
  });
});

describe('ResultStore removed from disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = tempDir('np6-removed-');
    await completeResult(dir);
  });
  afterEach(() => removeDir(dir));

  it('says the result was removed (no raw ENOENT) and tells its listeners once', async () => {
    const store = await ResultStore.open(dir);
    await store.close();
    let told = 0;
    store.onDidRemove(() => told++);
    assert.equal(await store.checkStillStored(), true);
    fs.rmSync(dir, { recursive: true, force: true });
    await assert.rejects(store.readEvent(0), (e: Error) => {
      assert.equal(e instanceof ResultRemovedError, true);
      assert.match(e.message, /removed from disk/);
      assert.doesNotMatch(e.message, /ENOENT/);
      return true;
    });
    assert.equal(store.isRemoved, true);
    assert.equal(await store.checkStillStored(), false);
    assert.equal(told, 1);
  });

  it('notices files deleted while the result is open', async () => {
    const store = await ResultStore.open(dir);
    let told = 0;
    store.onDidRemove(() => told++);
    fs.rmSync(path.join(dir, SUMMARY_FILE));
    assert.equal(await store.checkStillStored(), false);
    assert.equal(store.isRemoved, true);
    assert.equal(told, 1);
    await store.close();
  });
});

describe('ResultStore durability and the event loop', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('np6-durable-');
  });
  afterEach(() => removeDir(dir));

  it('writes and fsyncs every event before summary.json says complete', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    for (const e of events(N)) store.append(record(e));
    const eventsFile = path.join(dir, EVENTS_FILE);
    const order: string[] = [];
    // The FileHandle class, reached through a handle (node does not export it by name).
    const probe = await fs.promises.open(eventsFile, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const realSync = proto.sync;
    const realRename = fs.promises.rename;
    proto.sync = function (this: unknown): Promise<void> {
      order.push('sync');
      return realSync.call(this);
    };
    fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike): Promise<void> => {
      if (String(to).endsWith(SUMMARY_FILE)) {
        const s = JSON.parse(fs.readFileSync(String(from), 'utf8')) as { complete: boolean };
        const onDisk = fs.readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).length;
        order.push(`summary complete=${s.complete} with ${onDisk} events on disk`);
      }
      return realRename(from, to);
    };
    try {
      await store.finish({ complete: true, missing: [] });
    } finally {
      proto.sync = realSync;
      fs.promises.rename = realRename;
    }
    await store.close();
    const summaryAt = order.indexOf(`summary complete=true with ${N} events on disk`);
    assert.ok(summaryAt > 0, `summary written with every event on disk: ${order.join(' | ')}`);
    // The events file's fsync comes first (the summary's own temp file is fsynced too).
    assert.equal(order[0], 'sync', order.join(' | '));
  });

  it('never calls a blocking write, read or fsync while storing, reading and finishing', async () => {
    const calls: string[] = [];
    const names = ['writeSync', 'readSync', 'fsyncSync', 'openSync', 'fstatSync', 'ftruncateSync'] as const;
    const real = new Map<string, unknown>();
    const fsMut = fsModule as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const n of names) {
      const f = fsMut[n]!;
      real.set(n, f);
      fsMut[n] = (...a: unknown[]): unknown => {
        calls.push(n);
        return f(...a);
      };
    }
    syncBuiltinESMExports();
    try {
      const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
      const big = events(20_000).map((e) => ({ ...e, pad: 'x'.repeat(100) }));
      for (const e of big) store.append(record(e));
      // A duplicate of an event already written out (a hash match against a line on disk).
      assert.equal(store.append(record(big[3]!)), false);
      assert.deepEqual(await store.readEvent(19_999), big[19_999]);
      let n = 0;
      for await (const r of store.records('time')) n += r.bytes.length > 0 ? 1 : 0;
      assert.equal(n, big.length);
      await store.finish({ complete: true, missing: [] });
      await store.close();
      const opened = await ResultStore.open(dir);
      assert.equal(opened.index.length, big.length);
      assert.equal(opened.summary.complete, true);
      await opened.close();
    } finally {
      for (const n of names) fsMut[n] = real.get(n) as (...a: unknown[]) => unknown;
      syncBuiltinESMExports();
    }
    assert.deepEqual(calls, []);
  });
});
