import * as assert from 'node:assert/strict';
import { ACTION_LABELS, chosenStep, nextSteps, type Failure } from '../../../src/core/errorActions';

const ids = (f: Failure): string[] => nextSteps(f).map((s) => s.id);
const labels = (f: Failure): string[] => nextSteps(f).map((s) => s.label);

describe('errorActions', () => {
  it('sends a missing key, a refused base URL and a stopped demo to their fix', () => {
    assert.deepEqual(labels({ kind: 'noClient', problem: 'noKey' }), ['Set API Key']);
    assert.deepEqual(labels({ kind: 'noClient', problem: 'badUrl' }), ['Open Settings']);
    assert.deepEqual(labels({ kind: 'noClient', problem: 'noDemo' }), ['Try the Demo']);
    assert.deepEqual(labels({ kind: 'noClient', problem: 'failed' }), ['Show Log']);
  });

  it('offers Set API Key first for a refused key (401, 403)', () => {
    for (const status of [401, 403]) {
      assert.deepEqual(
        ids({ kind: 'partial', error: { kind: 'http', status }, missing: 2, count: 10 }),
        ['setApiKey', 'resume', 'showLog', 'showArrived'],
        `HTTP ${status}`,
      );
    }
    // Nothing missing and the key refused: asking again with the same key cannot help.
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'http', status: 401 }, missing: 0, count: 0 }), [
      'setApiKey',
      'showLog',
    ]);
  });

  it('offers Retry after a rate limit, after Resume when windows are missing', () => {
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'http', status: 429 }, missing: 0, count: 0 }), [
      'retry',
      'showLog',
    ]);
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'http', status: 429 }, missing: 1, count: 5 }), [
      'resume',
      'showLog',
      'showArrived',
      'retry',
    ]);
  });

  it('offers Resume and Show Log for a network or server failure with missing windows', () => {
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'network' }, missing: 3, count: 0 }), [
      'resume',
      'showLog',
    ]);
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'http', status: 503 }, missing: 1, count: 7 }), [
      'resume',
      'showLog',
      'showArrived',
    ]);
  });

  it('does not offer the log for a cancel, and Re-run when nothing is recorded missing', () => {
    assert.deepEqual(
      ids({ kind: 'partial', cancelled: true, error: { kind: 'cancelled' }, missing: 2, count: 4 }),
      ['resume', 'showArrived'],
    );
    assert.deepEqual(ids({ kind: 'partial', error: { kind: 'internal' }, missing: 0, count: 0 }), [
      'showLog',
      'rerun',
    ]);
  });

  it('maps refresh outcomes: Resume when still partial, Re-run when the range has settled', () => {
    assert.deepEqual(ids({ kind: 'refreshedPartial', missing: 1, resumable: true }), ['resume']);
    assert.deepEqual(ids({ kind: 'refreshedPartial', missing: 1, resumable: false }), []);
    assert.deepEqual(ids({ kind: 'refreshedPartial', missing: 0, resumable: true }), []);
    assert.deepEqual(ids({ kind: 'refreshRefused', why: 'past' }), ['rerun']);
    assert.deepEqual(ids({ kind: 'refreshRefused', why: 'noClient', problem: 'noKey' }), ['setApiKey']);
    assert.deepEqual(ids({ kind: 'refreshRefused', why: 'failed' }), []);
  });

  it('covers the demo failing, no campaign and no result', () => {
    assert.deepEqual(ids({ kind: 'demoFailed' }), ['showLog']);
    assert.deepEqual(labels({ kind: 'noCampaign' }), ['Add Campaign', 'Try the Demo']);
    assert.deepEqual(labels({ kind: 'noResult' }), ['Query Events...']);
  });

  it('gives every action a distinct label and finds the action of a chosen label', () => {
    const all = Object.values(ACTION_LABELS);
    assert.equal(new Set(all).size, all.length);
    const steps = nextSteps({ kind: 'partial', error: { kind: 'http', status: 401 }, missing: 1, count: 1 });
    assert.equal(chosenStep(steps, 'Resume'), 'resume');
    assert.equal(chosenStep(steps, 'Set API Key'), 'setApiKey');
    assert.equal(chosenStep(steps, 'Retry'), undefined, 'a label not offered is not an action');
    assert.equal(chosenStep(steps, undefined), undefined);
  });
});
