// The one base-URL policy: the key goes to an https API address (http only on loopback), with
// no credentials, query string or fragment in it.

import assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, checkBaseUrl, isLoopbackHost } from '../../../src/np6/baseUrl';

const ok = (raw: string): string => {
  const r = checkBaseUrl(raw);
  assert.ok('url' in r, `${raw}: ${'error' in r ? r.error : ''}`);
  return r.url;
};
const refused = (raw: string, message: RegExp): string => {
  const r = checkBaseUrl(raw);
  assert.ok('error' in r, `${raw} was accepted as ${'url' in r ? r.url : ''}`);
  assert.match(r.error, message, raw);
  assert.match(r.error, /base URL/);
  assert.ok(!/np6\.baseUrl|--base-url/.test(r.error), 'worded for both the extension and the CLI');
  return r.error;
};

describe('np6 baseUrl: checkBaseUrl', () => {
  it('accepts https anywhere, trimmed, trailing slashes removed, path kept', () => {
    assert.equal(DEFAULT_BASE_URL, 'https://api-cm.np6.com');
    assert.equal(ok(DEFAULT_BASE_URL), DEFAULT_BASE_URL);
    assert.equal(ok('  https://api-cm.np6.com///  '), DEFAULT_BASE_URL);
    assert.equal(ok('https://API-CM.np6.com:443/'), DEFAULT_BASE_URL);
    assert.equal(ok('https://proxy.example.com:8443/np6/api/'), 'https://proxy.example.com:8443/np6/api');
  });

  it('accepts plain http on loopback only: 127.0.0.0/8, localhost, [::1]', () => {
    for (const [raw, url] of [
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://127.0.0.2/', 'http://127.0.0.2'],
      ['http://127.255.255.254:1', 'http://127.255.255.254:1'],
      ['http://127.1:9', 'http://127.0.0.1:9'],
      ['http://localhost:3000/', 'http://localhost:3000'],
      ['http://LOCALHOST', 'http://localhost'],
      ['http://[::1]:8080/', 'http://[::1]:8080'],
      ['http://[::ffff:127.0.0.1]:80', 'http://[::ffff:7f00:1]'],
    ]) {
      assert.equal(ok(raw as string), url);
    }
  });

  it('refuses plain http anywhere else, naming the host', () => {
    for (const raw of [
      'http://api-cm.np6.com',
      'http://128.0.0.1',
      'http://10.0.0.1',
      'http://[::2]',
      'http://[fe80::1]',
      'http://localhost.evil.com',
      'http://127.0.0.1.nip.io',
      'http://0.0.0.0',
    ]) {
      refused(raw, /plain http .*only https/);
    }
  });

  it('refuses a user name or password, without repeating them', () => {
    for (const raw of [
      'https://user:hunter2@api-cm.np6.com',
      'https://hunter2@api-cm.np6.com',
      'http://a:hunter2@127.0.0.1',
    ]) {
      const e = refused(raw, /user name or password/);
      assert.ok(!e.includes('hunter2'), e);
    }
  });

  it('refuses a query string or a fragment, even an empty one', () => {
    for (const raw of [
      'https://api-cm.np6.com/?x=1',
      'https://api-cm.np6.com?',
      'https://api-cm.np6.com/?',
    ]) {
      refused(raw, /query string/);
    }
    for (const raw of ['https://api-cm.np6.com/#frag', 'https://api-cm.np6.com#']) refused(raw, /fragment/);
  });

  it('refuses what is not an http(s) URL, or hides characters', () => {
    refused('', /is empty/);
    refused('   ', /is empty/);
    refused('api-cm.np6.com', /not a valid URL/);
    refused('ftp://api-cm.np6.com', /"ftp:".*only https/);
    refused('file:///etc/passwd', /"file:"/);
    refused('javascript:alert(1)', /"javascript:"/);
    refused('https://api-cm.np6.com\n.evil.com', /spaces or control characters/);
    refused('https://api-cm.np6\t.com', /spaces or control characters/);
    refused('https://api cm.np6.com', /spaces or control characters/);
  });

  it('knows loopback hosts as the URL parser writes them', () => {
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('[::1]') && isLoopbackHost('localhost'));
    assert.ok(
      !isLoopbackHost('127.0.0.1.example') && !isLoopbackHost('[::]') && !isLoopbackHost('example.com'),
    );
  });
});
