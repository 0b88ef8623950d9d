// Pre-rendering of a response body to a file, so a benchmark can measure a client without the
// generator's cost in the loop.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function renderArrayToFile(
  texts: Iterable<string>,
  path: string,
): Promise<{ events: number; bytes: number }> {
  const out = createWriteStream(path);
  let events = 0;
  let bytes = 0;
  let pending = '[';
  const flush = async () => {
    const buf = Buffer.from(pending, 'utf8');
    pending = '';
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  for (const text of texts) {
    pending += (events === 0 ? '' : events % 997 === 0 ? ',\n  ' : ',') + text;
    events++;
    if (pending.length >= 1 << 16) await flush();
  }
  pending += ']';
  await flush();
  out.end();
  await once(out, 'close');
  return { events, bytes };
}
