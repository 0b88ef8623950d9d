import assert from 'node:assert/strict';
import { contentSecurityPolicy, timelineHtml } from '../../../src/core/timeline/html';
import { isTimelineUiState, isWebviewMessage } from '../../../src/shared/protocol';

describe('timeline protocol and page', () => {
  it('accepts well-formed webview messages and rejects the rest', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'getEvent', requestId: 1, index: 0 },
      { type: 'export', description: 'all' },
      { type: 'export', description: '2 visible', indices: [3, 4] },
      { type: 'refresh' },
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
      { type: 'status', status: { rendered: 10, filtered: -4, inView: 2 } },
      { type: 'status' },
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
