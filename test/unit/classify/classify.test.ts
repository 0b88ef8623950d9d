import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import {
  classifyIndex,
  classifyUserAgent,
  np6ClassOf,
  REASON_BEHAVIOUR,
  REASON_NONE,
  REASON_NP6,
  REASON_RULE,
} from '../../../src/core/classify/classify';
import { ipv4Number } from '../../../src/core/classify/np6Class';

/** The dotted form of ipv4Number's result (the round trip shows the number is the address). */
function ipv4Text(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}
import {
  CLASS_HUMAN,
  CLASS_PROXY,
  CLASS_ROBOT,
  CLASS_SCANNER,
  hitClassName,
  NOT_A_HIT,
} from '../../../src/core/classify/hitClass';
import {
  checkExtraRules,
  loadRules,
  parseIp,
  ruleProblems,
  shippedRuleSpecs,
} from '../../../src/core/classify/rules';
import type { Np6Event } from '../../../src/np6/events';
import { UA_CORPUS } from './userAgents';

const rules = loadRules();
const T0 = Date.UTC(2026, 0, 5, 9);

function ev(
  i: number,
  type: string,
  t: number,
  extra: { sub?: string; link?: string; ua?: string; rec?: string; detail?: object } = {},
): Np6Event {
  return {
    type,
    id: `e${i}`,
    timestamp: t,
    source: {
      type: 'email',
      detail: {
        activation: {
          id: 'ITEM',
          receiver: { type: 'footprint', id: extra.rec ?? 'c1', unicity: 'a@b.example' },
        },
        ...(extra.sub
          ? { link: { type: extra.sub, destination: extra.link ?? 'https://shop.example/' } }
          : {}),
        ...(extra.ua ? { client: { ip: '192.0.2.1', ua: { ua: extra.ua } } } : {}),
        ...(extra.detail ?? {}),
      },
    },
  };
}

const PERSON = UA_CORPUS[0]!.ua;

describe('hit classification', () => {
  it('every shipped rule is valid and names a source URL', () => {
    const specs = shippedRuleSpecs();
    assert.ok(specs.length >= 5);
    for (const s of specs) assert.deepEqual(ruleProblems(s), [], s.id);
  });

  for (const c of UA_CORPUS) {
    it(`${c.want}: ${c.ua.slice(0, 70)}`, () => {
      const code = classifyUserAgent(c.ua, rules);
      assert.equal(code < 0 ? 'human' : hitClassName(code), c.want, `from ${c.from}`);
    });
  }

  it('classifies by behaviour: a click seconds after delivery, several links within a second', () => {
    const events = [
      ev(0, 'activation', T0, { rec: 'fast' }),
      ev(1, 'hit', T0 + 3000, { sub: 'redirection', ua: PERSON, rec: 'fast' }),
      ev(2, 'activation', T0, { rec: 'slow' }),
      ev(3, 'hit', T0 + 2 * 3600_000, { sub: 'redirection', ua: PERSON, rec: 'slow' }),
      ev(4, 'hit', T0 + 2 * 3600_000 + 300_000, {
        sub: 'redirection',
        link: 'https://shop.example/b',
        ua: PERSON,
        rec: 'slow',
      }),
      ev(5, 'activation', T0, { rec: 'burst' }),
      ev(6, 'hit', T0 + 86_400_000, {
        sub: 'redirection',
        link: 'https://shop.example/a',
        ua: PERSON,
        rec: 'burst',
      }),
      ev(7, 'hit', T0 + 86_400_000 + 400, {
        sub: 'redirection',
        link: 'https://shop.example/b',
        ua: PERSON,
        rec: 'burst',
      }),
      ev(8, 'hit', T0 + 4000, { sub: 'open', ua: PERSON, rec: 'slow' }),
    ];
    const index = new IndexBuilder();
    events.forEach((e, i) => index.add(e, i, 1));
    const { classes, reasons } = classifyIndex(index, rules);
    assert.deepEqual(
      [...classes],
      [
        NOT_A_HIT,
        CLASS_SCANNER,
        NOT_A_HIT,
        CLASS_HUMAN,
        CLASS_HUMAN,
        NOT_A_HIT,
        CLASS_SCANNER,
        CLASS_SCANNER,
        CLASS_HUMAN,
      ],
    );
    assert.equal(reasons[1], REASON_BEHAVIOUR);
  });

  it('NP6’s own classification wins over the rules', () => {
    const events = [
      ev(0, 'hit', T0, {
        sub: 'open',
        ua: 'Mozilla/5.0 (compatible; Googlebot/2.1)',
        detail: { classification: 'human' },
      }),
      ev(1, 'hit', T0, { sub: 'open', ua: PERSON, detail: { classification: 'mpp' } }),
      ev(2, 'hit', T0, { sub: 'open', ua: PERSON }),
    ];
    const index = new IndexBuilder();
    events.forEach((e, i) => index.add(e, i, 1));
    const { classes } = classifyIndex(index, rules, { np6Class: (i) => np6ClassOf(events[i]!, rules) });
    assert.deepEqual([...classes], [CLASS_HUMAN, CLASS_PROXY, CLASS_HUMAN]);
    assert.equal(np6ClassOf({ ...events[2]!, isBot: true }, rules), 3);
  });

  it('classifies by address range when the index gives the IP', () => {
    const events = [
      ev(0, 'hit', T0, { sub: 'open', ua: PERSON }),
      ev(1, 'hit', T0, { sub: 'open', ua: PERSON }),
    ];
    const index = new IndexBuilder();
    events.forEach((e, i) => index.add(e, i, 1));
    const ips = ['17.58.100.3', '81.2.3.4'];
    const { classes } = classifyIndex(index, rules, { ip: (i) => ips[i] });
    assert.deepEqual([...classes], [CLASS_PROXY, CLASS_HUMAN]);
  });

  it("NP6's own class and the client's address come from the index itself (no columns given)", () => {
    const withIp = (e: Np6Event, ip: string): Np6Event => {
      const detail = (e.source as { detail: { client: { ip: unknown } } }).detail;
      detail.client.ip = { type: ip.includes(':') ? 'v6' : 'v4', value: ip };
      return e;
    };
    const events = [
      // NP6 says robot: it wins over a person's agent and a proxy's address.
      withIp(
        ev(0, 'hit', T0, { sub: 'open', ua: PERSON, detail: { classification: 'genericrobot' } }),
        '17.1.2.3',
      ),
      // Apple's range (rules.json: 17.0.0.0/8) with a person's agent: a privacy proxy, by rule.
      withIp(ev(1, 'hit', T0, { sub: 'open', ua: PERSON }), '17.58.100.3'),
      withIp(ev(2, 'hit', T0, { sub: 'open', ua: PERSON }), '81.2.3.4'),
      // An IPv6 address in an extra rule's range.
      withIp(ev(3, 'hit', T0, { sub: 'open', ua: PERSON }), '2a01:cb10:12:3400::5'),
      withIp(ev(4, 'hit', T0, { sub: 'open', ua: PERSON }), '2a02:1::5'),
    ];
    const index = new IndexBuilder();
    events.forEach((e, i) => index.add(e, i, 1));
    assert.equal(index.np6Class(0), CLASS_ROBOT);
    assert.equal(index.np6Class(1), undefined);
    assert.equal(index.ipv4(1), ipv4Number('17.58.100.3'));
    assert.equal(index.otherIp(3), '2a01:cb10:12:3400::5');
    assert.equal(index.otherIp(1), undefined);
    const extra = loadRules([
      {
        id: 'v6-scanner',
        class: 'security scanner',
        ipRanges: ['2a01:cb10::/32'],
        source: 'https://x.example/',
      },
    ]);
    const { classes, reasons } = classifyIndex(index, extra);
    assert.deepEqual([...classes], [CLASS_ROBOT, CLASS_PROXY, CLASS_HUMAN, CLASS_SCANNER, CLASS_HUMAN]);
    assert.deepEqual([...reasons], [REASON_NP6, REASON_RULE, REASON_NONE, REASON_RULE, REASON_NONE]);
  });

  it('reads IPv4 addresses strictly', () => {
    assert.equal(ipv4Number('255.255.255.255'), 4294967295);
    assert.equal(ipv4Text(ipv4Number('17.58.100.3')), '17.58.100.3');
    for (const bad of [
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1..2.3',
      ' 1.2.3.4',
      '1.2.3.x',
      '::1',
      '',
      '01234.1.1.1',
    ]) {
      assert.equal(ipv4Number(bad), 0, bad);
    }
  });

  it('extra rules from the setting are validated and come first', () => {
    const check = checkExtraRules([
      {
        id: 'corp',
        class: 'security scanner',
        userAgent: { contains: ['Firefox/47'] },
        source: 'https://intranet.example/scanner',
      },
      { id: 'bad-class', class: 'alien', userAgent: { contains: ['x'] }, source: 'https://x.example' },
      { id: 'no-source', class: 'robot', userAgent: { contains: ['x'] } },
      { id: 'bad-regex', class: 'robot', userAgent: { regex: '(' }, source: 'https://x.example' },
      { id: 'bad-cidr', class: 'robot', ipRanges: ['300.1.1.1/8'], source: 'https://x.example' },
      'nope',
    ]);
    assert.deepEqual(
      check.rules.map((r) => r.id),
      ['corp'],
    );
    assert.equal(check.problems.length, 5);
    assert.match(check.problems[0]!, /bad-class/);
    const extended = loadRules(check.rules);
    assert.equal(classifyUserAgent(PERSON, extended), CLASS_SCANNER);
    assert.deepEqual(checkExtraRules({}).problems.length, 1);
  });

  it('parses IPv4 and IPv6 addresses', () => {
    assert.equal(parseIp('17.0.0.1')?.bits, 32);
    assert.equal(parseIp('2a01:cb10::1')?.bits, 128);
    assert.equal(parseIp('256.1.1.1'), undefined);
    assert.equal(parseIp('1:2:3'), undefined);
  });
});
