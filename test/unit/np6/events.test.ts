// The accessors over the documented example (the reference's sample answer, reproduced below) and
// over shapes the documentation does not show: they must read what exists and never throw.
import assert from 'node:assert/strict';
import {
  bounceInfo,
  envelopeProblem,
  eventChannel,
  eventClient,
  eventItemId,
  eventKind,
  eventLink,
  eventRecipient,
  eventRecipientLabel,
  hitSubtype,
  isNp6Event,
  type Np6Event,
} from '../../../src/np6/events';

const RECIPIENT = {
  type: 'footprint',
  id: '000R4M0T',
  unicity: 'example@np6.com',
  hash: '0441619ab4631d18548aa8835dd2c28b',
};
const STAMP = { time: 1614089576625, id: 'd52055cd-e854-4177-8ef5-b10fd8d568a7', thread: 'a3078b19' };
const IDENTITY = { type: 'customer', agency: 'DEMO', customer: '028' };

// The three events of the sample answer in the NP6 reference (campaign events endpoint).
const EXECUTION: Np6Event = {
  type: 'execution',
  id: 'b794a047-b15a-498c-9e46-8762d009bfb1',
  timestamp: 1614089576718,
  identity: IDENTITY,
  source: {
    type: 'email',
    detail: {
      execution: {
        id: '000PE4',
        kind: 'message',
        recipient: RECIPIENT,
        data: { foo: 1, bar: 2 },
        stamp: STAMP,
      },
    },
  },
};
const ACTIVATION: Np6Event = {
  type: 'activation',
  id: 'd436cfcb-8dda-4b12-a174-bf6519b50dd1',
  timestamp: 1614089582000,
  identity: IDENTITY,
  source: {
    type: 'email',
    detail: {
      activation: {
        id: '000PE4',
        kind: 'message',
        receiver: RECIPIENT,
        stamp: STAMP,
        recipient: 'example@np6.com',
      },
    },
  },
};
const UA =
  'Mozilla/5.0 (Linux; Android 9; AMN-LX9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.88';
const HIT: Np6Event = {
  type: 'hit',
  id: '5cb5d7c1-70d4-421a-a850-73b0728e1684',
  timestamp: 1623673176622,
  identity: IDENTITY,
  source: {
    type: 'email',
    detail: {
      activation: {
        id: '000PE4',
        kind: 'message',
        receiver: RECIPIENT,
        stamp: STAMP,
        recipient: 'example@np6.com',
      },
      link: { type: 'redirection', label: 'homepage', source: 'html', destination: 'https://www.np6.fr' },
      client: {
        type: 'web',
        ip: { type: 'v4', value: '10.1.1.1' },
        ua: {
          type: 'parsed',
          ua: UA,
          client: { type: 'Mobile browser', name: 'Chrome Mobile', version: '91.0.4472.88' },
          os: { name: 'Android 9.0 Pie', family: 'Android' },
          device: { type: 'Smartphone', name: 'Y5 (2019)', brand: 'Huawei' },
        },
      },
    },
  },
};

describe('np6 events', () => {
  it('checks the envelope, naming what is missing', () => {
    for (const e of [EXECUTION, ACTIVATION, HIT]) assert.ok(isNp6Event(e));
    assert.equal(envelopeProblem([]), 'not an object');
    assert.equal(envelopeProblem(null), 'not an object');
    assert.equal(envelopeProblem({ id: 'x', timestamp: 1 }), 'no string "type"');
    assert.equal(envelopeProblem({ type: 'hit', timestamp: 1 }), 'no string "id"');
    assert.equal(envelopeProblem({ type: 'hit', id: 'x', timestamp: '1' }), 'no numeric "timestamp"');
  });

  it('reads channel, item and recipient of executions and activations', () => {
    for (const e of [EXECUTION, ACTIVATION, HIT]) {
      assert.equal(eventChannel(e), 'email');
      assert.equal(eventItemId(e), '000PE4');
      assert.equal(eventRecipient(e), '000R4M0T');
      assert.equal(eventRecipientLabel(e), 'example@np6.com');
    }
    assert.equal(eventKind(EXECUTION), 'execution');
    assert.equal(eventKind(ACTIVATION), 'activation');
  });

  it('reads a hit: subtype, link and client', () => {
    assert.equal(hitSubtype(HIT), 'redirection');
    assert.equal(eventKind(HIT), 'hit:redirection');
    assert.deepEqual(eventLink(HIT), {
      type: 'redirection',
      label: 'homepage',
      source: 'html',
      destination: 'https://www.np6.fr',
    });
    assert.deepEqual(eventClient(HIT), {
      ip: '10.1.1.1',
      userAgent: UA,
      os: 'Android 9.0 Pie',
      device: 'Huawei Y5 (2019)',
      browser: 'Chrome Mobile',
    });
    assert.equal(hitSubtype(EXECUTION), undefined);
    assert.equal(eventLink(EXECUTION), undefined);
    assert.equal(eventClient(EXECUTION), undefined);
  });

  it('prefers an explicit subtype field over the link type', () => {
    assert.equal(hitSubtype({ ...HIT, subtype: 'open' }), 'open');
    assert.equal(eventKind({ ...HIT, subtype: 'open' }), 'hit:open');
  });

  it('keeps unknown types and odd shapes readable without throwing', () => {
    const odd: Np6Event = {
      type: 'delivery',
      id: 'z',
      timestamp: 5,
      source: { type: 'notification', detail: { action: { id: 42, recipient: { type: 'id', value: 7 } } } },
    };
    assert.equal(eventKind(odd), 'delivery');
    assert.equal(eventChannel(odd), 'notification');
    assert.equal(eventItemId(odd), '42');
    assert.equal(eventRecipient(odd), '7');
    const bare: Np6Event = {
      type: 'hit',
      id: 'y',
      timestamp: 1,
      source: { detail: { link: 'not an object' } },
    };
    assert.equal(eventKind(bare), 'hit');
    assert.equal(eventLink(bare), undefined);
    assert.equal(eventItemId(bare), undefined);
    assert.equal(eventRecipient(bare), undefined);
    assert.equal(eventChannel({ type: 't', id: 'i', timestamp: 0 }), undefined);
  });

  it('reads a bounce verdict and code when present', () => {
    const bounce: Np6Event = {
      type: 'bounce',
      id: 'b',
      timestamp: 1,
      source: {
        type: 'email',
        detail: {
          bounce: {
            analysis: { verdict: 'hard' },
            status: { code: { enhanced: '5.1.1' }, diagnostic: 'user unknown' },
          },
        },
      },
    };
    assert.deepEqual(bounceInfo(bounce), { verdict: 'hard', code: '5.1.1', diagnostic: 'user unknown' });
    assert.equal(bounceInfo(HIT), undefined);
  });
});
