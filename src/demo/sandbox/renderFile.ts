// Pre-rendering of a response body to a file, so a benchmark can measure a client without the
// generator's cost in the loop. Same bytes as the server sends (without faults).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

import { JsonArrayText } from './jsonArrayText';

export async function renderArrayToFile(
  texts: Iterable<string>,
  path: string,
): Promise<{ events: number; bytes: number }> {
  const out = createWriteStream(path);
  const body = new JsonArrayText();
  let bytes = 0;
  const flush = async () => {
    const buf = body.take();
    bytes += buf.length;
    if (!out.write(buf, () => body.recycle(buf))) await once(out, 'drain');
  };
  for (const text of texts) {
    while (!body.add(text)) await flush();
  }
  while (!body.raw(']')) await flush();
  await flush();
  out.end();
  await once(out, 'close');
  return { events: body.count, bytes };
}
