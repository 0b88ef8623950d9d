// Realistic vocabulary for generated events: people, devices, user agents, links, bounce and
// cancellation reasons. Variable parts are rendered once, at load, into JSON fragments so that
// rendering an event is string concatenation only (the benchmark streams millions of them).

const json = (v: unknown): string => JSON.stringify(v);

/** [display name, ascii form for the e-mail address]. Display names exercise multi-byte UTF-8. */
export const FIRST_NAMES: readonly (readonly [string, string])[] = [
  ['Camille', 'camille'],
  ['Zoë', 'zoe'],
  ['Léa', 'lea'],
  ['François', 'francois'],
  ['Hélène', 'helene'],
  ['Mathis', 'mathis'],
  ['Inès', 'ines'],
  ['Jürgen', 'jurgen'],
  ['Małgorzata', 'malgorzata'],
  ['Søren', 'soren'],
  ['Noah', 'noah'],
  ['Chloé', 'chloe'],
  ['Lucas', 'lucas'],
  ['Amélie', 'amelie'],
  ['Yūki', 'yuki'],
  ['Olivia', 'olivia'],
  ['Emma', 'emma'],
  ['Hugo', 'hugo'],
  ['Björn', 'bjorn'],
  ['Aïcha', 'aicha'],
];
export const LAST_NAMES: readonly (readonly [string, string])[] = [
  ['Martin', 'martin'],
  ['Bernard', 'bernard'],
  ['Dubois', 'dubois'],
  ['Lefèvre', 'lefevre'],
  ['Müller', 'muller'],
  ['García', 'garcia'],
  ['Nowak', 'nowak'],
  ['Rossi', 'rossi'],
  ['Moreau', 'moreau'],
  ['Laurent', 'laurent'],
  ['Søndergaard', 'sondergaard'],
  ['Petit', 'petit'],
  ['Durand', 'durand'],
  ['Fontaine', 'fontaine'],
  ['Girard', 'girard'],
];
export const DOMAINS = [
  'gmail.com',
  'orange.fr',
  'free.fr',
  'hotmail.fr',
  'yahoo.fr',
  'outlook.com',
  'icloud.com',
  'laposte.net',
  'sfr.fr',
  'gmx.de',
  'example.org',
] as const;
export const CITIES = ['Paris', 'Lyon', 'Kraków', 'Köln', 'Nantes', 'Bordeaux', 'Genève', 'Lille', 'Zürich'];
export const SEGMENTS = ['vip', 'regular', 'new', 'dormant'];

interface UaSpec {
  ua: string;
  client: { type: string; name: string; version: string; vendor: string };
  os: { name: string; family: string; vendor: string };
  device: { type: string; name: string; brand: string };
}

const HUMAN_UAS: UaSpec[] = [
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    client: { type: 'Mobile browser', name: 'Mobile Safari', version: '17.4.1', vendor: 'Apple Inc.' },
    os: { name: 'iOS 17.4', family: 'iOS', vendor: 'Apple Inc.' },
    device: { type: 'Smartphone', name: 'iPhone', brand: 'Apple' },
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
    client: {
      type: 'Mobile browser',
      name: 'Chrome Mobile',
      version: '124.0.6367.82',
      vendor: 'Google Inc.',
    },
    os: { name: 'Android 14', family: 'Android', vendor: 'Google Inc.' },
    device: { type: 'Smartphone', name: 'Galaxy S23', brand: 'Samsung' },
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 9; AMN-LX9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.88 Mobile Safari/537.36',
    client: { type: 'Mobile browser', name: 'Chrome Mobile', version: '91.0.4472.88', vendor: 'Google Inc.' },
    os: { name: 'Android 9.0 Pie', family: 'Android', vendor: 'Google Inc.' },
    device: { type: 'Smartphone', name: 'Y5 (2019)', brand: 'Huawei' },
  },
  {
    ua: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
    client: { type: 'Email client', name: 'Outlook 2016', version: '16.0', vendor: 'Microsoft Corporation' },
    os: { name: 'Windows 10', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Desktop', name: 'PC', brand: 'Unknown' },
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
    client: { type: 'Browser', name: 'Chrome', version: '125.0.0.0', vendor: 'Google Inc.' },
    os: { name: 'Windows 10', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Desktop', name: 'PC', brand: 'Unknown' },
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
    client: { type: 'Browser', name: 'Safari', version: '17.3', vendor: 'Apple Inc.' },
    os: { name: 'macOS 14', family: 'macOS', vendor: 'Apple Inc.' },
    device: { type: 'Desktop', name: 'Mac', brand: 'Apple' },
  },
  {
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.10.1',
    client: { type: 'Email client', name: 'Thunderbird', version: '115.10.1', vendor: 'Mozilla Foundation' },
    os: { name: 'Linux', family: 'GNU/Linux', vendor: 'Linux Foundation' },
    device: { type: 'Desktop', name: 'PC', brand: 'Unknown' },
  },
  {
    ua: 'Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    client: { type: 'Mobile browser', name: 'Mobile Safari', version: '16.6', vendor: 'Apple Inc.' },
    os: { name: 'iPadOS 16.7', family: 'iOS', vendor: 'Apple Inc.' },
    device: { type: 'Tablet', name: 'iPad', brand: 'Apple' },
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
    client: { type: 'Browser', name: 'Firefox', version: '126.0', vendor: 'Mozilla Foundation' },
    os: { name: 'Windows 11', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Desktop', name: 'PC', brand: 'Unknown' },
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
    client: { type: 'Browser', name: 'Edge', version: '124.0.2478.80', vendor: 'Microsoft Corporation' },
    os: { name: 'Windows 11', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Desktop', name: 'PC', brand: 'Unknown' },
  },
];

/** Opens fetched by privacy proxies and scanners seconds after delivery, not by a person. */
const ROBOT_UAS: UaSpec[] = [
  {
    ua: 'Mozilla/5.0',
    client: { type: 'Robot', name: 'Apple Mail Privacy Protection', version: '', vendor: 'Apple Inc.' },
    os: { name: 'Unknown', family: 'Unknown', vendor: 'Unknown' },
    device: { type: 'Unknown', name: 'Unknown', brand: 'Unknown' },
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    client: { type: 'Robot', name: 'Google Image Proxy', version: '11.0', vendor: 'Google Inc.' },
    os: { name: 'Windows XP', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Unknown', name: 'Unknown', brand: 'Unknown' },
  },
  {
    // Corporate mail gateways follow every link seconds after delivery to scan the target page.
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Mimecast-LinkScan',
    client: { type: 'Robot', name: 'Mimecast URL Protect', version: '', vendor: 'Mimecast' },
    os: { name: 'Windows 10', family: 'Windows', vendor: 'Microsoft Corporation' },
    device: { type: 'Unknown', name: 'Unknown', brand: 'Unknown' },
  },
];

/** Pre-rendered `ua` objects. Robots: 0 Apple MPP (IPs 17.x), 1 Google proxy (66.249.x), 2 link scanner (205.139.x). */
export const HUMAN_UA_JSON: readonly string[] = HUMAN_UAS.map((u) => json({ type: 'parsed', ...u }));
export const ROBOT_UA_JSON: readonly string[] = ROBOT_UAS.map((u) => json({ type: 'parsed', ...u }));

/** Public-looking first octets for residential/mobile IPv4 addresses. */
export const IPV4_FIRST_OCTETS = [
  2, 5, 31, 37, 46, 62, 77, 78, 80, 81, 82, 83, 86, 88, 90, 92, 109, 176, 185, 193, 212,
];

interface LinkSpec {
  label: string;
  path: string;
}
/** Tracked links per item (redirection hits). Labels are the `dataminingname` a designer gave them. */
export const LINK_POOL: readonly LinkSpec[] = [
  { label: 'homepage', path: '/' },
  { label: 'Découvrir les offres', path: '/offres?utm_source=np6&utm_medium=email' },
  { label: 'hero-banner', path: '/collections/printemps?utm_source=np6&utm_medium=email&utm_content=hero' },
  { label: 'product-1', path: '/p/veste-en-lin-1042?utm_source=np6' },
  { label: 'product-2', path: '/p/sneakers-cuir-blanc-2210?utm_source=np6' },
  { label: 'product-3', path: '/p/sac-cabas-3391?utm_source=np6' },
  { label: 'store-locator', path: '/magasins' },
  { label: 'app-download', path: '/app?from=email' },
  { label: 'instagram', path: '/social/instagram' },
  { label: 'Lire l’article', path: '/blog/tendances-2026?utm_source=np6' },
  { label: 'faq', path: '/aide/faq' },
];
export const SHOP_HOST = 'https://www.boutique-exemple.fr';

/** Bounces: [verdict, sync|async, enhanced code, diagnostic template ({email} replaced), subject]. */
export const HARD_BOUNCES: readonly { code: string; diagnostic: string; subject: unknown }[] = [
  {
    code: '5.1.1',
    diagnostic: '550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table',
    subject: { type: 'address', detail: { type: 'bad destination mailbox address' } },
  },
  {
    code: '5.4.4',
    diagnostic: '550 5.4.4 Unable to route: no MX record for domain of "{email}"',
    subject: { type: 'address', detail: { type: 'bad destination system address' } },
  },
  {
    code: '5.2.1',
    diagnostic: '550 5.2.1 The email account that you tried to reach is disabled. \\ {email}',
    subject: { type: 'mailbox status', detail: { type: 'mailbox disabled' } },
  },
];
export const SOFT_BOUNCES: readonly { code: string; diagnostic: string; subject: unknown }[] = [
  {
    code: '4.2.2',
    diagnostic: '452 4.2.2 The email account that you tried to reach is over quota: {email}',
    subject: { type: 'mailbox status', detail: { type: 'mailbox full' } },
  },
  {
    code: '4.4.1',
    diagnostic: '421 4.4.1 Connection timed out while talking to mx.{domain}',
    subject: { type: 'other or undefined status' },
  },
  {
    code: '4.7.0',
    diagnostic:
      '421 4.7.0 [TSS04] Messages from 185.41.28.12 temporarily deferred due to unexpected volume or user complaints',
    subject: { type: 'security or policy status' },
  },
];

export const CANCELLATION_MESSAGES = [
  'Template rendering failed: variable "firstname" is undefined',
  'Template rendering failed: unknown block "product-reco" in section "hero"',
  'Render timeout: the content block "offers" took more than 30 s',
];

export const MTAS = [
  'mx1.mail.ovh.net',
  'gmail-smtp-in.l.google.com',
  'mx.orange.fr',
  'mx00.gmx.net',
  'eu-smtp-inbound-1.mimecast.com',
];
