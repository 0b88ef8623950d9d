// The "NP6: " that starts every notification the extension shows, added once: a text that already
// names NP6 first ("NP6 refused this key …", from the client's errors) is not prefixed again, so no
// message reads "NP6: NP6 refused …".

const PREFIX = 'NP6: ';

/** "NP6: <text>", unless `text` already starts with "NP6" as a word (then `text` as it is). */
export function np6Message(text: string): string {
  return /^NP6\b/.test(text) ? text : `${PREFIX}${text}`;
}
