import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  WORD_JOINER,
  forIconLabel,
  forNotification,
  markdownCode,
  oneLine,
} from '../../../src/core/untrustedText';

// ---- Oracles: VS Code's own parsers, copied verbatim -------------------------------------------
// Identical in microsoft/vscode src/vs/base/common/linkedText.ts and in the workbench.js of
// code-server 4.139.1 (VS Code 1.139.1) that the UI tests run: notifications, progress
// notifications and input box messages turn these matches into <a> elements.
// eslint-disable-next-line no-useless-escape -- copied verbatim
const LINK_REGEX = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
// src/vs/base/browser/ui/iconLabel/iconLabels.ts renderLabelWithIcons, with
// ThemeIcon.iconNameExpression = '[A-Za-z0-9-]+' and iconModifierExpression = '~[A-Za-z]+'
// (src/vs/base/common/themables.ts; same in the 1.139.1 bundle). Group 1 set = escaped.
const ICON_REGEX = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
// marked (the Markdown parser of VS Code's hovers), inline `code` rule and its codespan step, from
// the same bundle: the content loses its line breaks, and one space each side when both are there.
const MARKED_CODE = /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;

function links(text: string): string[] {
  return [...text.matchAll(LINK_REGEX)].map((m) => m[2] ?? '');
}
function icons(text: string): string[] {
  return [...text.matchAll(ICON_REGEX)].filter((m) => m[1] === undefined).map((m) => m[2] ?? '');
}
/** What a reader sees: the word joiner is invisible. */
function visible(text: string): string {
  return text.split(WORD_JOINER).join('');
}
function markedCodeSpan(md: string): string | undefined {
  const m = MARKED_CODE.exec(md);
  if (!m || m[0] !== md) return undefined;
  let t = (m[2] ?? '').replace(/\n/g, ' ');
  if (/[^ ]/.test(t) && /^ /.test(t) && / $/.test(t)) t = t.substring(1, t.length - 1);
  return t;
}

// ---- The attack corpus ------------------------------------------------------------------------
const CORPUS: readonly string[] = [
  '[x](command:workbench.action.terminal.new)',
  'Token expired. [Retry now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20/tmp/np6-pwned%5Cn%22%7D)',
  '[x](https://evil.example/x)',
  '[x](HTTPS://EVIL.EXAMPLE)',
  '[x](file:///etc/passwd)',
  '[x](command:np6.exportLastResult "Export now")',
  "[x](command:np6.exportLastResult 'quoted title')",
  'Spring sale [open the dashboard](command:workbench.action.terminal.new)',
  '[[nested]](command:a) and [a [b] c](https://evil.example)',
  '[x]](command:a)',
  '[x] (command:a) [y]\t(command:b)',
  '<https://evil.example/x>',
  'see https://evil.example/x now',
  'command:workbench.action.terminal.new',
  '$(alert) Alert',
  '$(sync~spin) syncing',
  '\\$(alert) pre-escaped',
  '$$(bug)) $( alert) $()',
  'Newsletter `code` $(bug) [unsubscribe](https://evil.example/u) **bold**',
  '<img src=x onerror=alert(1)><a href="command:x">click</a>',
  'line one\nline two\r\n[x](command:a)',
  'https://evil.example/x?q=[click](command:np6.exportLastResult)$(alert)',
  '',
  'plain text, nothing to escape: 42 events (partial)',
];
const BIDI = 'abc\u202Eevil\u202C \u2066iso\u2069 \u200Fmark';

describe('untrustedText: the oracles can fail', () => {
  it('the raw corpus has links and icons that VS Code would render', () => {
    assert.ok(links(CORPUS[0] ?? '').length === 1);
    assert.equal(links(CORPUS.join(' ')).length >= 10, true);
    assert.deepEqual(icons('$(alert) Alert $(sync~spin) \\$(bug)'), ['alert', 'sync~spin']);
    assert.equal(markedCodeSpan('`` a`b ``'), 'a`b');
    assert.equal(markedCodeSpan('`a`b`'), undefined);
  });
});

describe('forNotification', () => {
  for (const raw of CORPUS) {
    it(`makes ${JSON.stringify(raw.slice(0, 50))} inert and reads the same`, () => {
      const out = forNotification(raw);
      assert.deepEqual(links(out), []);
      assert.deepEqual(icons(out), []);
      // The same text for the reader (VS Code replaces line breaks by spaces in notifications).
      assert.equal(visible(out), raw);
    });
  }

  it('stays inert when pieces are put side by side (a `]` or `$` then a `(`)', () => {
    const pieces = ['[x]', '(command:a)', '$', '(alert)', 'Sale [go]', '(https://evil.example)'];
    for (const a of pieces) {
      for (const b of pieces) {
        const joined = forNotification(a) + forNotification(b);
        assert.deepEqual(links(joined), [], joined);
        assert.deepEqual(icons(joined), [], joined);
        // And next to the extension's own text.
        assert.deepEqual(links(`${a}${forNotification(b)}`), [], `${a} + ${b}`);
        assert.deepEqual(links(`${forNotification(a)}${b}`), [], `${a} + ${b}`);
      }
    }
  });

  it('leaves the extension’s own links alone when they are outside the escaped value', () => {
    const msg = `NP6: ${forNotification('[x](command:a)')} — [Show Log](command:np6.showLog)`;
    assert.deepEqual(links(msg), ['command:np6.showLog']);
  });

  it('replaces bidi overrides and isolates (not marks) and control characters with U+FFFD', () => {
    assert.equal(forNotification(BIDI), 'abc\uFFFDevil\uFFFD \uFFFDiso\uFFFD \u200Fmark');
    assert.equal(forNotification('a\u0000b\u001bc\u0085d'), 'a\uFFFDb\uFFFDc\uFFFDd');
    assert.equal(forNotification('a\nb\tc'), 'a\nb\tc');
  });
});

describe('forIconLabel', () => {
  for (const raw of CORPUS) {
    it(`shows ${JSON.stringify(raw.slice(0, 50))} with no icon, on one line`, () => {
      const out = forIconLabel(raw);
      assert.deepEqual(icons(out), []);
      assert.doesNotMatch(out, /[\n\r]/);
      assert.equal(visible(out), raw.replace(/\s*(?:\r\n|\n)\s*/g, ' ').replace(/\t/g, ' '));
    });
  }

  it('keeps a pre-escaped \\$(x) and a `$` at the end inert next to other text', () => {
    assert.deepEqual(icons(forIconLabel('cost $') + '(alert)'), []);
    assert.deepEqual(icons('$' + forIconLabel('(alert)')), []);
    assert.equal(forIconLabel('Spring sale'), 'Spring sale');
  });
});

describe('markdownCode', () => {
  const values = [
    ...CORPUS,
    'a`b',
    '`starts',
    'ends`',
    '``double`` and ```triple```',
    '`',
    '```',
    ' spaced ',
    'x'.repeat(500),
    'two\n\nparagraphs [x](command:a)',
  ];
  for (const raw of values) {
    it(`is one code span showing ${JSON.stringify(raw.slice(0, 40))} exactly`, () => {
      const md = markdownCode(raw);
      const shown = markedCodeSpan(md);
      assert.notEqual(shown, undefined, `not one code span: ${md}`);
      const expected = oneLine(raw);
      assert.equal(visible(shown ?? ''), expected === '' ? ' ' : expected);
      assert.deepEqual(icons(md), []);
    });
  }
});

describe('oneLine', () => {
  it('joins lines, trims and cuts with an ellipsis without splitting a surrogate pair', () => {
    assert.equal(oneLine('  a\n\n  b\r\nc  '), 'a b c');
    assert.equal(oneLine('abcdef', 4), 'abc…');
    assert.equal(oneLine('😀😀😀😀', 3), '😀😀…');
    assert.equal(oneLine('short', 10), 'short');
  });
});

describe('src/vscode shows messages and Markdown only through untrustedUi.ts', () => {
  // A new call straight to these APIs would skip forNotification / the safe MarkdownString.
  const root = path.join(__dirname, '../../../src/vscode');
  const files = (function list(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? list(p) : p.endsWith('.ts') ? [p] : [];
    });
  })(root);

  it('finds the sources (the check can fail)', () => {
    assert.ok(files.length > 10);
    assert.ok(
      files.some((f) => /window\s*\.show(Error|Warning|Information)Message/.test(fs.readFileSync(f, 'utf8'))),
    );
  });

  it('has no other show{Error,Warning,Information}Message, MarkdownString or isTrusted: true', () => {
    const offenders: string[] = [];
    for (const f of files) {
      if (path.basename(f) === 'untrustedUi.ts') continue;
      const text = fs.readFileSync(f, 'utf8');
      const rel = path.relative(root, f);
      if (/window\s*\.show(Error|Warning|Information)Message/.test(text)) {
        offenders.push(`${rel}: show*Message`);
      }
      if (/new\s+vscode\.MarkdownString\b/.test(text)) offenders.push(`${rel}: new MarkdownString`);
      if (
        /isTrusted\s*[:=]\s*(true|\{)|supportThemeIcons\s*[:=]\s*true|supportHtml\s*[:=]\s*true/.test(text)
      ) {
        offenders.push(`${rel}: trusted Markdown`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
