// CSV export inside a real VS Code (code-server): a demo query exported as CSV has a header row
// and one row per event with the same ids as the NDJSON export of the same result, every row with
// the same columns, no cell a spreadsheet would run. (The BOM option is covered by the unit tests:
// np6.exportLastResult does not pass `bom` on yet.)
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import { queryDemoCampaign } from './helpers';

const COLUMNS = 'time,type,subtype,item,recipient,link,client,device,id,class';

/** Rows of cells of an RFC 4180 text (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV export', () => {
  let tmp: string;
  let campaignId: string;
  let fetched: ResultSummary;

  before(async function () {
    this.timeout(120_000);
    tmp = mkdtempSync(path.join(tmpdir(), 'np6-csv-'));
    ({ campaignId, summary: fetched } = await queryDemoCampaign('none'));
  });

  after(async () => {
    await vscode.commands.executeCommand('np6.stopDemo');
    rmSync(tmp, { recursive: true, force: true });
  });

  const exportTo = async (name: string, format: 'csv' | 'ndjson'): Promise<Buffer> => {
    const target = path.join(tmp, name);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      campaignId,
      demo: true,
      target,
      format,
    });
    assert.equal(uri?.fsPath, target);
    return readFileSync(target);
  };

  it('writes one row per event with the NDJSON export’s ids, UTF-8 without a BOM', async function () {
    this.timeout(120_000);
    const plain = await exportTo('demo.csv', 'csv');
    assert.notEqual(plain[0], 0xef, 'no BOM by default');
    const rows = parseCsv(plain.toString('utf8'));
    assert.equal(rows[0]!.join(','), COLUMNS);
    assert.equal(rows.length - 1, fetched.count);
    for (const r of rows) assert.equal(r.length, 10, JSON.stringify(r));
    // Each hit carries its class (the result is complete, so it is classified); other events none.
    const classes = new Set(['human', 'privacy proxy', 'security scanner', 'robot']);
    for (const r of rows.slice(1)) {
      if (r[1] === 'hit') assert.ok(classes.has(r[9]!), `a hit's class: ${JSON.stringify(r)}`);
      else assert.equal(r[9], '', `no class on a ${r[1]}`);
    }
    for (const r of rows.slice(1)) {
      assert.match(r[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'time in ISO UTC');
      for (const c of r) assert.ok(!/^[=+\-@\t\r]/.test(c), `no cell starts a formula: ${JSON.stringify(c)}`);
    }
    const ndjson = (await exportTo('demo.ndjson', 'ndjson')).toString('utf8');
    const ids = ndjson
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(
      rows.slice(1).map((r) => r[8]),
      ids,
    );
  });
});
