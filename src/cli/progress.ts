// A one-line progress display on stderr, redrawn in place; only when stderr is a terminal, so logs
// and pipes never receive control characters.

import type { Messages } from './output';

const REDRAW_MS = 200;

export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly messages: Messages) {}

  update(p: { events: number; bytes: number; window?: number; windows?: number }): void {
    if (!this.messages.isTTY) return;
    const now = Date.now();
    if (now - this.last < REDRAW_MS) return;
    this.last = now;
    const win = p.window !== undefined && p.windows ? `window ${p.window} of about ${p.windows}, ` : '';
    const mb = (p.bytes / 1e6).toFixed(1);
    this.messages.raw(`\r\x1b[Knp6-events: ${win}${p.events.toLocaleString('en-US')} events, ${mb} MB`);
    this.shown = true;
  }

  /** Clears the line before a normal message is printed. */
  done(): void {
    if (this.shown) this.messages.raw('\r\x1b[K');
    this.shown = false;
  }
}
