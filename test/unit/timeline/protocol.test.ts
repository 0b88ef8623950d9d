import assert from 'node:assert/strict';
import { contentSecurityPolicy, timelineHtml } from '../../../src/shared/timeline/html';
import {
  eventIndexOfMenuArg,
  eventMenuContext,
  isTimelineUiState,
  isWebviewMessage,
} from '../../../src/shared/protocol';

describe('timeline protocol and page', () => {
  it('accepts well-formed webview messages and rejects the rest', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'getEvent', requestId: 1, index: 0 },
      { type: 'export', description: 'all' },
      { type: 'export', description: '2 visible', indices: [3, 4] },
      {
        type: 'export',
        description: '2 visible',
        indices: [3, 4],
        view: { filters: { hiddenKinds: ['bounce'], items: [], text: 'x' }, range: { start: 1, end: 9 } },
      },
      { type: 'resume' },
      { type: 'refresh' },
      { type: 'saveQuery' },
      { type: 'toggleMasking' },
      { type: 'statistics' },
      {
        type: 'statistics',
        indices: [0, 7],
        view: { filters: { hiddenKinds: [], items: ['A'], text: '' }, range: { start: 1, end: 9 } },
      },
      { type: 'status', status: { rendered: 10, filtered: 4, inView: 2 } },
      { type: 'status', status: { rendered: 10, filtered: 4, inView: 2, selected: 3 } },
    ]) {
      assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
    }
    for (const m of [
      null,
      'ready',
      { type: 'nope' },
      { type: 'getEvent', requestId: 1, index: -1 },
      { type: 'getEvent', requestId: 1.5, index: 0 },
      { type: 'export', description: 'x', indices: ['1'] },
      { type: 'export' },
      {
        type: 'export',
        description: 'x',
        indices: [1],
        view: { filters: { hiddenKinds: [1], items: [], text: '' } },
      },
      {
        type: 'export',
        description: 'x',
        indices: [1],
        view: { filters: { hiddenKinds: [], items: [], text: '' }, range: { start: 9, end: 1 } },
      },
      { type: 'status', status: { rendered: 10, filtered: -4, inView: 2 } },
      { type: 'status' },
      { type: 'statistics', indices: [-1] },
      { type: 'statistics', indices: [1], view: { filters: { hiddenKinds: [2], items: [], text: '' } } },
    ]) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });

  it('validates restored UI state', () => {
    const ok = { resultId: 'r', timeZone: 'UTC', filter: { hiddenKinds: [], items: ['A'], text: '' } };
    assert.equal(isTimelineUiState(ok), true);
    assert.equal(isTimelineUiState({ ...ok, timeZone: 'Mars' }), false);
    assert.equal(isTimelineUiState({ ...ok, filter: { hiddenKinds: [1], items: [], text: '' } }), false);
    assert.equal(isTimelineUiState(undefined), false);
    const marked = { ...ok, newEvents: { from: 10, to: 14 } };
    assert.equal(isTimelineUiState(marked), true);
    assert.equal(isTimelineUiState({ ...marked, newEvents: { from: 14, to: 10 } }), false);
    assert.equal(isTimelineUiState({ ...ok, filter: { ...ok.filter, arrival: { from: 1, to: 2 } } }), true);
    assert.equal(isTimelineUiState({ ...ok, filter: { ...ok.filter, arrival: { from: -1, to: 2 } } }), false);
  });

  it('puts only an event index in the context-menu data and reads it back', () => {
    assert.equal(eventMenuContext(1, true).preventDefaultContextMenuItems, false);
    const ctx = eventMenuContext(42);
    assert.deepEqual(Object.keys(ctx).sort(), [
      'np6EventIndex',
      'preventDefaultContextMenuItems',
      'webviewSection',
    ]);
    // VS Code hands the command the parsed data-vscode-context plus the view type.
    assert.equal(eventIndexOfMenuArg({ webview: 'np6.timeline', ...JSON.parse(JSON.stringify(ctx)) }), 42);
    for (const bad of [
      undefined,
      null,
      {},
      { np6EventIndex: -1 },
      { np6EventIndex: '3' },
      { np6EventIndex: 1.5 },
    ]) {
      assert.equal(eventIndexOfMenuArg(bad), undefined, JSON.stringify(bad));
    }
  });

  it('builds a page with a strict CSP, the nonce on the script, and escaped URIs', () => {
    const nonce = 'abcdefghijklmnopqrstuvwx';
    const html = timelineHtml(
      {
        cspSource: 'https://x.vscode-cdn.net',
        script: 'https://a/webview.js?"><script>',
        style: 'https://a/w.css',
        codicons: 'https://a/c.css',
      },
      nonce,
    );
    assert.ok(html.includes(`script-src 'nonce-${nonce}'`));
    assert.ok(html.includes("connect-src 'none'"));
    assert.ok(html.includes("default-src 'none'"));
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no script injected through a URI');
    assert.ok(!/unsafe-(inline|eval)/.test(html));
    assert.throws(
      () => timelineHtml({ cspSource: 'x', script: 'a', style: 'b', codicons: 'c' }, 'short'),
      /nonce/,
    );
    assert.equal(
      contentSecurityPolicy('S', 'N'),
      "default-src 'none'; script-src 'nonce-N'; style-src S; font-src S; img-src S data:; connect-src 'none'",
    );
  });
});
