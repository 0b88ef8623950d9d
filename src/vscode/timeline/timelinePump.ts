// The data pump of one timeline panel: sends the shown result to the page from the store's index
// in compact batches, then the client columns read from disk, then the result's info. A restart
// (each `ready`, each new store) begins again from row 0; a generation number makes the sends of
// an earlier start stop where they are.
import type { ResultStore } from '../../core/resultStore';
import { EventLoopSlice } from '../../np6/eventLoopSlice';
import { batchFromIndex, clientRow, type SentTables } from '../../core/timeline/eventRows';
import { resultInfo } from '../../core/timeline/resultInfo';
import type { HostMessage } from '../../shared/protocol';
import { ClientColumnsBuilder } from '../../shared/timeline/batch';
import { readEventRange } from '../../core/readEvents';
import { displayZone, itemNamesOf } from './timelineSettings';

/** Rows per batch: big enough to amortise a message, small enough to paint progressively. */
const BATCH_ROWS = 50_000;
/** Events parsed per read for the client columns (bounds the buffer to a few MB). */
const CLIENT_READ_ROWS = 10_000;

/** What the pump sends: the store the panel shows, and whether a fetch still appends to it. */
export interface PumpSource {
  readonly store: ResultStore;
  readonly live: boolean;
}

export class TimelinePump {
  private generation = 0;
  private sent = 0;
  private sentTables: SentTables = { kinds: 0, items: 0, recipients: 0, links: 0 };
  private chain: Promise<void> = Promise.resolve();
  /** Client, user agent and recipient label: read from disk for rows [0, clientSent), sent. */
  private clientBuilder = new ClientColumnsBuilder();
  private clientSent = 0;
  private lastInfo = '';
  /** The item names of the shown campaign, read from the settings once (cleared when they change). */
  private itemNames: Record<string, string> | undefined;

  constructor(
    private readonly source: PumpSource,
    private readonly post: (m: HostMessage) => Thenable<boolean>,
  ) {}

  /** Everything again, from row 0 (a new or re-created webview, or another store). */
  restart(): void {
    this.generation++;
    this.sent = 0;
    this.sentTables = { kinds: 0, items: 0, recipients: 0, links: 0 };
    this.clientBuilder = new ClientColumnsBuilder();
    this.clientSent = 0;
    this.lastInfo = '';
    void this.post({ type: 'init', info: this.info(), timeZone: displayZone() }).then(() => this.pump());
  }

  /** Stops what is being sent (the panel closes). */
  stop(): void {
    this.generation++;
  }

  /** The campaign's item names are read again at the next info (np6.campaigns changed, another store). */
  forgetItemNames(): void {
    this.itemNames = undefined;
  }

  /**
   * Sends the rows not sent yet, one batch at a time, then their client columns (also while the
   * fetch runs, so the text filter finds user agents and e-mails at once), then the current
   * info. Calls are chained, so a pump asked for while another runs (a restart, a live flush)
   * runs after it, never alongside.
   */
  pump(): Promise<void> {
    this.chain = this.chain
      .then(() => this.pumpOnce())
      .catch((e: unknown) => {
        console.warn(`NP6 timeline: could not send events: ${e instanceof Error ? e.message : String(e)}`);
      });
    return this.chain;
  }

  private async pumpOnce(): Promise<void> {
    const gen = this.generation;
    const index = this.source.store.index;
    while (gen === this.generation && this.sent < index.length) {
      const to = Math.min(index.length, this.sent + BATCH_ROWS);
      const batch = batchFromIndex(index, this.sent, to, this.sentTables);
      this.sent = to;
      await this.post({ type: 'batch', batch });
    }
    if (gen === this.generation) await this.sendClientColumns(gen);
    if (gen === this.generation) await this.sendInfo();
  }

  private info(): ReturnType<typeof resultInfo> {
    const { store, live } = this.source;
    this.itemNames ??= itemNamesOf(store.summary.query.campaignId);
    return resultInfo(store, live, this.itemNames);
  }

  /** Sends the result's info when it changed since the last one sent. */
  async sendInfo(): Promise<void> {
    const info = this.info();
    const key = JSON.stringify(info);
    if (key === this.lastInfo) return;
    this.lastInfo = key;
    await this.post({ type: 'info', info });
  }

  /**
   * Client, user agent and recipient label are not in the store's index: read the rows sent since
   * the last call from disk (one contiguous read per CLIENT_READ_ROWS) and send their columns.
   * Parsing yields to the event loop now and then, so a large result does not hold the host.
   */
  private async sendClientColumns(gen: number): Promise<void> {
    try {
      while (gen === this.generation && this.clientSent < this.sent) {
        const from = this.clientSent;
        const to = Math.min(this.sent, from + CLIENT_READ_ROWS);
        const events = await readEventRange(this.source.store, from, to);
        if (gen !== this.generation) return;
        const slice = new EventLoopSlice();
        for (let k = 0; k < events.length; k++) {
          if ((k & 127) === 0) await slice.maybeYield();
          this.clientBuilder.addRow(clientRow(events[k]!));
        }
        if (gen !== this.generation) return;
        this.clientSent = from + events.length;
        if (events.length === 0) break;
        if (this.clientBuilder.pending >= BATCH_ROWS || this.clientSent >= this.sent) {
          await this.post({ type: 'clientColumns', columns: this.clientBuilder.take() });
        }
      }
    } catch (e) {
      // Only the free-text search over clients is affected; the timeline is complete without it.
      console.warn(
        `NP6 timeline: could not read client details: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
