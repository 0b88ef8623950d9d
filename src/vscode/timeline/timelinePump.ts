// The data pump of one timeline panel: sends the shown result to the page from the store's index
// in compact batches (every column, client, user agent and recipient label included: the index
// captured them as the events arrived, so nothing is read back from disk), then the result's
// info. A restart (each `ready`, each new store) begins again from row 0; a generation number
// makes the sends of an earlier start stop where they are. Masking (np6.maskPersonalData) is read
// at each restart and holds for all its batches, so the page never mixes masked and plain strings.
import type { Masker } from '../../core/mask';
import type { ResultStore } from '../../core/resultStore';
import { EventLoopSlice } from '../../np6/eventLoopSlice';
import { batchFromIndex, noTablesSent, type SentTables } from '../../core/timeline/eventRows';
import { resultInfo } from '../../core/timeline/resultInfo';
import type { HostMessage } from '../../shared/protocol';
import { displayZone, itemNamesOf } from './timelineSettings';

/**
 * Rows per batch: big enough to amortise a message, small enough to paint progressively and to
 * keep one send short. VS Code serialises a message in one go on the host's thread (the packed
 * strings, then every column, compressed for a remote window): a 50,000-row batch with its new
 * recipients and labels was one 122 ms task in a workbench profile of the 1M query.
 */
const BATCH_ROWS = 16_384;

/** What the pump sends: the store the panel shows, and whether a fetch still appends to it. */
export interface PumpSource {
  readonly store: ResultStore;
  readonly live: boolean;
  /** The masker of the shown result while masking is on, else undefined. */
  masker(): Masker | undefined;
  /**
   * The packed class of each event of the store (hitClasses.ts), or undefined while they are not
   * known (the fetch still runs).
   */
  classes(): Promise<Uint8Array | undefined>;
}

export class TimelinePump {
  private generation = 0;
  private sent = 0;
  private sentTables: SentTables = noTablesSent();
  private chain: Promise<void> = Promise.resolve();
  private lastInfo = '';
  /** The item names of the shown campaign, read from the settings once (cleared when they change). */
  private itemNames: Record<string, string> | undefined;
  /** The masker of this restart's batches (undefined: not masked). */
  private masker: Masker | undefined;
  /** How many rows the last `classes` message of this restart covered (-1: none sent). */
  private classesSent = -1;

  constructor(
    private readonly source: PumpSource,
    private readonly post: (m: HostMessage) => Thenable<boolean>,
  ) {}

  /**
   * Everything again, from row 0 (a new or re-created webview, or another store). `init` says how
   * many rows follow, so the page says "loading k of n" until it holds them all.
   */
  restart(): void {
    this.generation++;
    this.sent = 0;
    this.sentTables = noTablesSent();
    this.lastInfo = '';
    this.classesSent = -1;
    this.masker = this.source.masker();
    const info = this.info();
    void this.post({ type: 'init', info, timeZone: displayZone(), total: info.count }).then(() =>
      this.pump(),
    );
  }

  /** The batches of the current restart are masked. */
  get masked(): boolean {
    return this.masker !== undefined;
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
   * Sends the rows not sent yet, one batch at a time, then the current info. Calls are chained,
   * so a pump asked for while another runs (a restart, a live flush, the fetch's end) runs after
   * it, never alongside.
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
    // Building a batch yields when it has held the event loop for a slice (8 ms): 50,000 rows
    // take a few ms here, but the host is shared with VS Code and must never wait on us.
    const slice = new EventLoopSlice();
    while (gen === this.generation && this.sent < index.length) {
      const to = Math.min(index.length, this.sent + BATCH_ROWS);
      const batch = await batchFromIndex(index, this.sent, to, this.sentTables, slice, this.masker);
      if (gen !== this.generation) return;
      this.sent = to;
      await this.post({ type: 'batch', batch });
    }
    if (gen === this.generation) await this.sendInfo();
    if (gen === this.generation) await this.sendClasses();
  }

  /** The classes again at the next pump (the classification rules changed). */
  forgetClasses(): void {
    this.classesSent = -1;
  }

  /**
   * Once every row is sent and the fetch is over: the class of each row, in one message (1 byte
   * an event). Sent again only when the rows it covers changed (a refresh added events).
   */
  private async sendClasses(): Promise<void> {
    const n = this.source.store.index.length;
    if (this.source.live || this.sent !== n || this.classesSent === n) return;
    const gen = this.generation;
    // Computed a slice at a time (1M events: about 150 ms of work): a restart meanwhile sends its own.
    const codes = await this.source.classes();
    if (gen !== this.generation || !codes || codes.length !== n || n !== this.source.store.index.length) {
      return;
    }
    this.classesSent = n;
    await this.post({ type: 'classes', count: n, codes });
  }

  private info(): ReturnType<typeof resultInfo> {
    const { store, live } = this.source;
    this.itemNames ??= itemNamesOf(store.summary.query.campaignId);
    const info = resultInfo(store, live, this.itemNames);
    return this.masker ? { ...info, masked: true } : info;
  }

  /** Sends the result's info when it changed since the last one sent. */
  async sendInfo(): Promise<void> {
    const info = this.info();
    const key = JSON.stringify(info);
    if (key === this.lastInfo) return;
    this.lastInfo = key;
    await this.post({ type: 'info', info });
  }
}
