// package.json against README.md: the README's command table names exactly the contributed commands
// and says, for each, whether the Command Palette shows it, as `menus.commandPalette` decides. A
// command added, renamed or hidden in one file and not the other fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface MenuEntry {
  command: string;
  when?: string;
}
interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, MenuEntry[]>;
  };
}
interface TableRow {
  line: string;
  titles: string[];
  palette: string;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** "Rename…" in the README is "Rename..." in package.nls.json. */
const normalise = (title: string): string => title.replace(/…/g, '...').trim();

/** The title the palette shows: `%key%` resolved through package.nls.json. */
function titleOf(title: string): string {
  const key = /^%(.+)%$/.exec(title)?.[1];
  if (key === undefined) return normalise(title);
  const text = nls[key];
  assert.ok(text !== undefined, `package.nls.json has no "${key}"`);
  return normalise(text);
}

/** The table under "### Commands": first column the titles ("A / B"), a column "Palette". */
function commandTable(): TableRow[] {
  const lines = readme.split('\n');
  const heading = lines.indexOf('### Commands');
  assert.ok(heading >= 0, 'README.md has a "### Commands" section');
  const first = lines.findIndex((l, i) => i > heading && l.startsWith('|'));
  assert.ok(first > heading, 'the Commands section has a table');
  const cells = (l: string): string[] =>
    l
      .slice(1, l.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((c) => c.trim());
  const header = cells(lines[first] ?? '');
  const paletteColumn = header.indexOf('Palette');
  assert.equal(header[0], 'Command', 'the first column names the commands');
  assert.ok(paletteColumn > 0, 'the table has a "Palette" column');
  const rows: TableRow[] = [];
  for (let i = first + 2; i < lines.length && (lines[i] ?? '').startsWith('|'); i++) {
    const line = lines[i] ?? '';
    const row = cells(line);
    rows.push({
      line,
      titles: (row[0] ?? '').split(' / ').map(normalise),
      palette: row[paletteColumn] ?? '',
    });
  }
  assert.ok(rows.length > 0, 'the command table has rows');
  return rows;
}

/** Hidden from the palette: a `menus.commandPalette` entry whose `when` is "false". */
function hiddenFromPalette(command: string): boolean {
  return (manifest.contributes.menus['commandPalette'] ?? []).some(
    (e) => e.command === command && e.when?.trim() === 'false',
  );
}

const commands = manifest.contributes.commands.map((c) => ({ id: c.command, title: titleOf(c.title) }));

describe('package.json and the README command table', () => {
  it('no two contributed commands share a title (the table names commands by title)', () => {
    const titles = commands.map((c) => c.title);
    assert.deepEqual(
      titles.filter((t, i) => titles.indexOf(t) !== i),
      [],
    );
  });

  it('the table names every contributed command, and only those', () => {
    const inReadme = commandTable()
      .flatMap((r) => r.titles)
      .sort();
    assert.deepEqual(inReadme, commands.map((c) => c.title).sort());
  });

  it('the Palette column says "yes" or "no" as menus.commandPalette decides', () => {
    const byTitle = new Map(commands.map((c) => [c.title, c.id]));
    for (const row of commandTable()) {
      const said = /^(yes|no)\b/i.exec(row.palette)?.[1]?.toLowerCase();
      assert.ok(said, `"${row.palette}" starts with yes or no, in: ${row.line}`);
      for (const title of row.titles) {
        const id = byTitle.get(title);
        if (id === undefined) continue; // reported by the test above
        assert.equal(said, hiddenFromPalette(id) ? 'no' : 'yes', `${id} ("${title}") in: ${row.line}`);
      }
    }
  });

  it('a command hidden from the palette is in some other menu, so it can be run', () => {
    const menus = Object.entries(manifest.contributes.menus).filter(([name]) => name !== 'commandPalette');
    const unreachable = commands
      .filter((c) => hiddenFromPalette(c.id))
      .filter((c) => !menus.some(([, entries]) => entries.some((e) => e.command === c.id)))
      .map((c) => c.id);
    assert.deepEqual(unreachable, []);
  });

  it('every command a menu names is contributed', () => {
    const ids = new Set(commands.map((c) => c.id));
    const unknown = Object.entries(manifest.contributes.menus).flatMap(([name, entries]) =>
      entries.filter((e) => !ids.has(e.command)).map((e) => `${name}: ${e.command}`),
    );
    assert.deepEqual(unknown, []);
  });
});
