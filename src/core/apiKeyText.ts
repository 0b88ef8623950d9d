// What may be typed or pasted as an NP6 API key. The key becomes an HTTP header value (X-Key): only
// printable ASCII can be sent as is, and an invisible character (a control, a zero-width space, a
// bidi mark, a non-breaking space from a web page) would make a key that looks right fail, or differ
// from what the user believes they stored. Surrounding whitespace (a pasted line break) is trimmed.
// The messages never repeat the key or any part of it.

/** A reason to refuse the text as a key, or undefined when it can be stored (after trimming). */
export function checkApiKeyText(text: string): string | undefined {
  const t = String(text).trim();
  if (t === '') return 'The key is empty: paste the API key NP6 gave you.';
  if (/\s/.test(t)) return 'The key contains spaces or line breaks: paste it again as one word.';
  const chars = Array.from(t);
  const at = chars.findIndex((ch) => !/^[\x21-\x7e]$/.test(ch));
  if (at >= 0) {
    const cp = (chars[at] as string).codePointAt(0) ?? 0;
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const what =
      cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
        ? 'a control character'
        : 'a character that is not printable ASCII';
    return `The key contains ${what} (${code}, character ${at + 1}): NP6 keys are letters, digits and symbols only; paste it again.`;
  }
  return undefined;
}
