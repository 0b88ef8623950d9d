// Real user-agent strings, each with where it was taken from. Used to check the rules in
// src/core/classify/rules.json match what they should and nothing else.

export interface UaCase {
  ua: string;
  want: 'human' | 'privacy proxy' | 'security scanner' | 'robot';
  from: string;
}

const MDN = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/User-Agent';
const CHROMIUM = 'https://www.chromium.org/updates/ua-reduction/';
const CRAWLERS = 'https://github.com/monperrus/crawler-user-agents/blob/master/crawler-user-agents.json';

export const UA_CORPUS: UaCase[] = [
  // People: browsers and mail apps.
  {
    want: 'human',
    from: MDN,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0',
  },
  {
    want: 'human',
    from: MDN,
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X x.y; rv:42.0) Gecko/20100101 Firefox/42.0',
  },
  {
    want: 'human',
    from: MDN,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 13_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Mobile/15E148 Safari/604.1',
  },
  {
    want: 'human',
    from: MDN,
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36',
  },
  {
    want: 'human',
    from: MDN,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36 Edg/91.0.864.59',
  },
  {
    want: 'human',
    from: MDN,
    ua: 'Opera/9.80 (Macintosh; Intel Mac OS X; U; en) Presto/2.2.15 Version/10.00',
  },
  {
    want: 'human',
    from: CHROMIUM,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
  },
  {
    want: 'human',
    from: CHROMIUM,
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36',
  },
  {
    want: 'human',
    from: 'constructed: an Android phone whose model name ends in "bot" (CUBOT), to check the robot pattern spares it',
    ua: 'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36',
  },
  // Privacy proxies.
  {
    want: 'privacy proxy',
    from: 'https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html (the page Yahoo names in its proxy user agent)',
    ua: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  },
  {
    want: 'privacy proxy',
    from: 'Gmail image proxy, as logged by senders (see https://gmail.googleblog.com/2013/12/images-now-showing.html)',
    ua: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  },
  {
    want: 'privacy proxy',
    from: 'Apple Mail Privacy Protection fetch, as logged by senders',
    ua: 'Mozilla/5.0',
  },
  // Robots (real instances from the community crawler list).
  {
    want: 'robot',
    from: CRAWLERS,
    ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  { want: 'robot', from: CRAWLERS, ua: 'Googlebot-Image/1.0' },
  {
    want: 'robot',
    from: CRAWLERS,
    ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  },
  {
    want: 'robot',
    from: CRAWLERS,
    ua: 'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)',
  },
  { want: 'robot', from: CRAWLERS, ua: 'Wget/1.20.3 (linux-gnu)' },
  { want: 'robot', from: CRAWLERS, ua: 'python-requests/2.22.0' },
  { want: 'robot', from: CRAWLERS, ua: 'Go-http-client/1.1' },
  {
    want: 'robot',
    from: CRAWLERS,
    ua: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  },
  { want: 'robot', from: CRAWLERS, ua: 'AdsBot-Google (+http://www.google.com/adsbot.html)' },
  // Security scanners (the vendor token; the rest of these strings is the sandbox's).
  {
    want: 'security scanner',
    from: 'src/demo/sandbox/catalog.ts (constructed around the vendor token)',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Mimecast-LinkScan',
  },
  {
    want: 'security scanner',
    from: 'constructed around the token Microsoft Safe Links is reported to send',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Microsoft Office Existence Discovery',
  },
];
