// Outside text (NP6 answers, error bodies, request ids, event fields, workspace-level settings such
// as campaign names, files) shown in a VS Code surface must stay text: never a link, an icon or a
// command. One escape per kind of surface, called at the point of display. What each surface does
// with a string was read in VS Code's source (1.139, the code-server used by the tests):
//
// - Notifications (show*Message, non-modal; progress notifications) and the prompt/validation
//   message of an input box run `parseLinkedText` (src/vs/base/common/linkedText.ts):
//   `/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi` turns
//   `[label](target)` into an <a> whose click runs a `command:` target. Everything else is a text
//   node: bare URLs and `<https://…>` are not linked there. Input box messages also render `$(name)`
//   as icons (renderLabelWithIcons).
// - QuickPick label/description/detail, status bar text and window progress render `$(name)` as a
//   codicon (src/vs/base/browser/ui/iconLabel/iconLabels.ts,
//   `(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)`). VS Code's own escape (escapeIcons, a backslash)
//   is only consumed where icons are supported: a plain-string tree label has no icon support
//   (treeView.ts processLabel), so the backslash would show. The escape here is a WORD JOINER
//   (U+2060, invisible, no line break) between `$` and `(`, or between `]` and `(`: neither regex
//   matches any more, on every surface, and the visible text is unchanged.
// - Markdown (MarkdownString tooltips and hovers) is parsed by marked with GFM on: bare URLs and
//   e-mail addresses become links even through MarkdownString.appendText (it escapes
//   `[\\`*_{}[\]()#+!~]` but not `:` or `@`). Outside values therefore go into a code span
//   (markdownCode), whose content marked never parses, in a MarkdownString with isTrusted,
//   supportThemeIcons and supportHtml off.
// - Modal dialogs (message and detail) and tree view messages use innerText/textContent: plain.
//
// Every escape also replaces bidirectional embedding/override/isolate controls and other control
// characters with U+FFFD, so outside text cannot reorder or hide the extension's own words.

/** U+2060 WORD JOINER: zero width, no line break opportunity, ignored by the renderer. */
export const WORD_JOINER = '\u2060';

// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- same, newlines and tabs included (one-line surfaces)
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function replaceControls(text: string, oneLineSurface: boolean): string {
  if (!oneLineSurface) return text.replace(CONTROLS, '\uFFFD');
  return text
    .replace(/\s*(?:\r\n|[\n\r\u2028\u2029])\s*/g, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROLS_AND_BREAKS, '\uFFFD');
}

/** `$(` can no longer start an icon, even when this text is followed by another piece. */
function inertIcons(text: string): string {
  const t = text.split('$(').join(`$${WORD_JOINER}(`);
  return t.endsWith('$') ? t + WORD_JOINER : t;
}

/** `](` can no longer close a link label, even across the boundary with another piece. */
function inertLinks(text: string): string {
  let t = text.split('](').join(`]${WORD_JOINER}(`);
  if (t.endsWith(']')) t += WORD_JOINER;
  return t;
}

function inertStart(text: string): string {
  // A piece that starts with `(` could complete a `$` or a `]` that ends the text before it.
  return text.startsWith('(') ? WORD_JOINER + text : text;
}

/**
 * For a notification or a non-modal message, a progress title or message, and an input box's
 * prompt or validation message: link syntax and `$(` made inert, control characters replaced.
 * Newlines are kept (a notification shows them as spaces; a modal's detail shows them).
 */
export function forNotification(text: string): string {
  return inertStart(inertLinks(inertIcons(replaceControls(String(text), false))));
}

/**
 * For a one-line surface that renders `$(name)` as an icon: QuickPick label/description/detail,
 * tree item label/description, status bar text, window progress. Newlines become spaces.
 */
export function forIconLabel(text: string): string {
  return inertStart(inertIcons(replaceControls(String(text), true)));
}

/**
 * One line of at most `max` characters (whitespace runs with line breaks become one space, the
 * rest cut with "…" without splitting a surrogate pair). Not an escape: combine with one above.
 */
export function oneLine(text: string, max = 300): string {
  const t = replaceControls(String(text), true).trim();
  const chars = Array.from(t);
  if (chars.length <= max) return t;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * A CommonMark/marked inline code span that shows `text` exactly (on one line), whatever backticks
 * it holds: the fence is one backtick longer than the longest run inside, and a space pads each
 * side (marked and CommonMark strip one space from both ends when both are there). Nothing inside
 * a code span is parsed: no link, autolink, emphasis, HTML or entity. Use it for every outside value
 * in a MarkdownString (isTrusted, supportThemeIcons and supportHtml off).
 */
export function markdownCode(text: string, max = 300): string {
  const value = inertIcons(oneLine(text, max));
  if (value === '') return '` `';
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence} ${value} ${fence}`;
}
