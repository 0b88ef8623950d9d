// Tiny DOM helpers. Event data only ever reaches the page through `text()` / textContent: no
// innerHTML anywhere in the webview (event fields are untrusted).

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) e.appendChild(c);
  return e;
}

/** A custom element (vscode-elements) with attributes. */
export function custom(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Replaces bidi controls and C0/C1 controls so a hostile value cannot reorder or hide the text around it. */
export function safeText(s: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

export function setText(e: Element, s: string): void {
  if (e.textContent !== s) e.textContent = s;
}

export const nf = new Intl.NumberFormat('en-US');
