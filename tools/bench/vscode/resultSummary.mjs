// The finished query as the extension recorded it: the result's summary.json in the extension's
// global storage of the benchmark's own code-server profile (count, response bytes, startedAt and
// finishedAt, on the same clock as this process and the webview).
import fs from 'node:fs';
import path from 'node:path';

/** Every summary.json under the profile's global storage, parsed (unreadable ones skipped). */
function summaries(userDir) {
  const root = path.join(userDir, 'User', 'globalStorage');
  let files;
  try {
    files = fs.readdirSync(root, { recursive: true }).filter((f) => path.basename(f) === 'summary.json');
  } catch {
    return []; // no global storage yet
  }
  const out = [];
  for (const f of files) {
    try {
      out.push(JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')));
    } catch {
      // being rewritten: read again at the next poll
    }
  }
  return out;
}

/** The summary of a result started at or after `since`, once it says when it finished; else undefined. */
export function finishedSummary(userDir, since) {
  return summaries(userDir).find((s) => s.startedAt >= since && typeof s.finishedAt === 'number');
}
