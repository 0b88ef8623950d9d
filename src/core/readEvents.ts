// Reads the events [from, to) of a result store in arrival order with one file read: arrival
// order is file order, so the run of lines is contiguous. Lets the timeline send client, user
// agent and recipient-label columns while a fetch is still appending (the store's index holds
// only kind, item, recipient and link), at the cost of one read per pump instead of one per event.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { IndexBuilder } from './eventIndex';
import { EventLoopSlice } from '../np6/eventLoopSlice';
import type { ResultStore } from './resultStore';
import type { Np6Event } from '../np6/events';

export async function readEventRange(store: ResultStore, from: number, to: number): Promise<Np6Event[]> {
  const index = store.index;
  const end = Math.min(to, index.length);
  if (end <= from) return [];
  if (!(index instanceof IndexBuilder)) {
    // An index without file offsets: one read per event (correct, slower).
    const out: Np6Event[] = [];
    for (let i = from; i < end; i++) out.push(await store.readEvent(i));
    return out;
  }
  // Reading the last event through the store writes out what it still buffers for the file.
  const last = (await store.readRecord(end - 1)).event;
  const start = index.offset(from);
  const stop = index.offset(end - 1);
  const buf = Buffer.allocUnsafe(stop - start);
  // Never through a symbolic link planted at the file's name (as the store opens it).
  const fh = await open(store.eventsPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
      if (bytesRead === 0) throw new Error(`${store.eventsPath} ends before event ${end - 1}.`);
      got += bytesRead;
    }
  } finally {
    await fh.close();
  }
  const out: Np6Event[] = [];
  const slice = new EventLoopSlice();
  for (let i = from; i < end - 1; i++) {
    if ((i & 127) === 0) await slice.maybeYield();
    const at = index.offset(i) - start;
    out.push(JSON.parse(buf.toString('utf8', at, at + index.byteLength(i))) as Np6Event);
  }
  out.push(last);
  return out;
}
