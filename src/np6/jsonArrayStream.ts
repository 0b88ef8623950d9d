// Incremental splitter of one top-level JSON array, fed with byte chunks as they arrive.
//
// NP6 answers a query with a single JSON array that can hold millions of events and has no paging,
// so the body is never held whole: this scanner finds where each element starts and ends, decodes
// only that slice and hands it to JSON.parse. It keeps at most one unfinished element (plus the
// current chunk) in memory.
//
// Why bytes and not a decoded string: UTF-8 multi-byte sequences only use bytes >= 0x80, so every
// structural character ({ } [ ] " \ , whitespace) can be found in the raw bytes, and an element cut
// inside a multi-byte character is simply decoded once its bytes are joined.

import { Buffer } from 'node:buffer';

/** One element of the array: its text (on one line) and its parsed value. */
export interface JsonArrayElement {
  /** The element's exact JSON text; raw CR/LF (only possible as whitespace) replaced by spaces. */
  text: string;
  value: unknown;
  /** Byte offset of the element's first byte in the whole body. */
  offset: number;
  /**
   * With `keepBytes`: the UTF-8 bytes `text` was decoded from, when they are exactly its encoding
   * (no newline was replaced). A view of the pushed chunk, not a copy: a store writes them as they
   * came instead of encoding the text again (about a tenth of the extension host's time at 1M
   * events went to Buffer.from and Buffer.byteLength of texts decoded a moment before).
   */
  bytes?: Uint8Array;
}

/** The body is not a well-formed JSON array. Says where, and how many elements were complete. */
export class JsonArrayStreamError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
    readonly elementsComplete: number,
  ) {
    super(message);
    this.name = 'JsonArrayStreamError';
  }
}

const enum State {
  /** Before the opening '['. */
  BeforeArray,
  /** Right after '[': an element or ']' may follow. */
  FirstElement,
  /** After a ',': an element must follow. */
  NextElement,
  /** Inside an object/array element (depth > 0) or a string element (depth 0). */
  InContainer,
  /** Inside a number / true / false / null element. */
  InScalar,
  /** After an element: ',' or ']' must follow. */
  AfterElement,
  /** After the closing ']': only whitespace may follow. */
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

// `b` is typed `| undefined` only because of noUncheckedIndexedAccess: callers index within bounds.
function isWhitespace(b: number | undefined): boolean {
  return b === SPACE || b === LF || b === CR || b === TAB;
}

function describeByte(b: number | undefined): string {
  if (b === undefined) return 'the end';
  if (b >= 0x21 && b < 0x7f) return `"${String.fromCharCode(b)}"`;
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}

const NEWLINES = /[\r\n]/g;

// Byte classes for the hot loop (a table lookup is cheaper than a chain of comparisons).
const STRING_START = 1;
const OPENS = 2;
const CLOSES = 3;
const NEWLINE = 4;
/** Outside strings: what each byte means for the element's structure (0 = nothing). */
const STRUCTURE = new Uint8Array(256);
STRUCTURE[QUOTE] = STRING_START;
STRUCTURE[OPEN_BRACE] = STRUCTURE[OPEN_BRACKET] = OPENS;
STRUCTURE[CLOSE_BRACE] = STRUCTURE[CLOSE_BRACKET] = CLOSES;
STRUCTURE[LF] = STRUCTURE[CR] = NEWLINE;
const STRING_END = 1;
const ESCAPE = 2;
/** Inside strings: the closing quote and the backslash (0 = any other byte). */
const IN_STRING = new Uint8Array(256);
IN_STRING[QUOTE] = STRING_END;
IN_STRING[BACKSLASH] = ESCAPE;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** What ends an object element and starts the next in NP6's answers (see wholeObject). */
const ELEMENT_JOIN = Buffer.from('},{');
/** Misses of the fast path allowed before it can be given up. */
const FAST_PATH_TRIAL = 16;
const BREAK_UNKNOWN = -2;
const BREAK_NONE = -1;

/** The longest separator (from the "}" to the "{", both included) the fast path learns. */
const MAX_JOIN_BYTES = 16;

/** The largest element kept by default: far above any event, far below what would exhaust memory. */
export const DEFAULT_MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

export interface JsonArrayStreamOptions {
  /**
   * An element growing past this many bytes stops the parse (JsonArrayStreamError) before more
   * of it is kept: an element that never ends must not grow memory without limit.
   */
  maxElementBytes?: number;
  /**
   * Hand each element's bytes along (`JsonArrayElement.bytes`, views of the pushed chunks). Only
   * for callers that never reuse a chunk's memory after pushing it (network and decompressed
   * bodies are fresh buffers; a file read into one reused buffer is not).
   */
  keepBytes?: boolean;
}

/** "16 MiB", "1.5 MiB", "512 KiB", "100 bytes": a size for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(2))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(2))} KiB`;
  return `${n} bytes`;
}

export class JsonArrayStreamParser {
  private readonly maxElementBytes: number;
  private readonly keepBytes: boolean;
  private state = State.BeforeArray;
  /** Bytes of the body consumed before the current chunk. */
  private base = 0;
  private complete = 0;
  // Current element.
  private depth = 0;
  private inString = false;
  /** Inside a string, the previous chunk ended with an unpaired backslash. */
  private escapePending = false;
  private hasNewline = false;
  private elementStart = 0;
  /** Copies of the earlier chunks' parts of the current element (empty when it began in this chunk). */
  private pending: Buffer[] = [];
  /** Total length of `pending`. */
  private pendingBytes = 0;
  // The fast path (wholeObject): how often it was tried in vain, and whether it is still tried.
  private misses = 0;
  private hits = 0;
  private fastPath = true;
  /**
   * What the fast path looks for: the bytes from one element's closing "}" to the next one's "{",
   * as the body writes them ("},{" to begin with; learnt from the elements the scan ends, so
   * "},\n{" or "}, {" bodies take the fast path too).
   */
  private join: Buffer = ELEMENT_JOIN;
  // Per chunk, positions found by Buffer.indexOf and kept while they are ahead: each search runs
  // over a chunk's bytes once, not once per element (a body without "},{" scanned the rest of its
  // chunk for every element, 2.1 s of 14 s at 300,000 events).
  /** The next `join` at or after `joinFrom` (BREAK_NONE: none in the rest of the chunk). */
  private joinAt = BREAK_UNKNOWN;
  private joinFrom = 0;
  /** The next LF / CR (BREAK_NONE: none ahead). */
  private nextLf = BREAK_UNKNOWN;
  private nextCr = BREAK_UNKNOWN;
  /** Where the last object element ended in this chunk (the index after its "}"), or -1. */
  private lastEnd = -1;

  constructor(options: JsonArrayStreamOptions = {}) {
    const max = options.maxElementBytes;
    this.maxElementBytes =
      max !== undefined && Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_ELEMENT_BYTES;
    this.keepBytes = options.keepBytes === true;
  }

  /** Elements completed so far. */
  get elements(): number {
    return this.complete;
  }

  /** Bytes consumed so far. */
  get bytes(): number {
    return this.base;
  }

  /**
   * Feeds the next chunk and returns the elements it completed, in order (appended to `out` when
   * given). Throws JsonArrayStreamError when the body stops being a JSON array: the elements
   * completed before the error are then in `out` (this chunk's) or were returned by earlier calls,
   * and `elements` counts them all.
   */
  push(chunk: Uint8Array, out: JsonArrayElement[] = []): JsonArrayElement[] {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    this.joinAt = this.nextLf = this.nextCr = BREAK_UNKNOWN;
    this.lastEnd = -1;
    let i = 0;
    // Where the current element starts in this chunk (0 when it began in an earlier one).
    let start = 0;
    while (i < len) {
      switch (this.state) {
        case State.InContainer: {
          // The hot loop, with its state in locals and one table lookup per byte. Strings are
          // skipped byte by byte: measured on NP6-like events (many short keys, ids and values) this
          // beats Buffer.indexOf(0x22), whose native-call cost dominates for strings that short.
          let depth = this.depth;
          let inString = this.inString;
          let ended = false;
          if (this.escapePending) {
            // The previous chunk ended with a backslash: this chunk's first byte is escaped.
            this.escapePending = false;
            i++;
          }
          scan: while (i < len) {
            if (inString) {
              for (;;) {
                if (i >= len) break scan;
                const s = IN_STRING[buf[i++] as number];
                if (s === 0) continue;
                if (s === STRING_END) break;
                // A backslash: skip the escaped character, or remember it for the next chunk.
                if (i < len) i++;
                else {
                  this.escapePending = true;
                  break scan;
                }
              }
              inString = false;
              if (depth === 0) {
                ended = true;
                break;
              }
              continue;
            }
            const k = STRUCTURE[buf[i++] as number];
            if (k === 0) continue;
            if (k === STRING_START) inString = true;
            else if (k === OPENS) depth++;
            else if (k === CLOSES) {
              if (--depth === 0) {
                ended = true;
                break;
              }
            } else this.hasNewline = true;
          }
          this.depth = depth;
          this.inString = inString;
          if (ended) {
            out.push(this.finishElement(buf, start, i));
            this.lastEnd = i;
            this.state = State.AfterElement;
          }
          break;
        }
        case State.AfterElement: {
          const b = buf[i];
          if (b === COMMA) this.state = State.NextElement;
          else if (b === CLOSE_BRACKET) this.state = State.Done;
          else if (!isWhitespace(b)) {
            throw this.error(
              `expected "," or "]" after element ${this.complete} but found ${describeByte(b)}`,
              i,
            );
          }
          i++;
          break;
        }
        case State.FirstElement:
        case State.NextElement: {
          const b = buf[i];
          if (isWhitespace(b)) {
            i++;
            break;
          }
          if (b === CLOSE_BRACKET) {
            if (this.state === State.NextElement) {
              throw this.error('a "," is followed by "]" (trailing comma)', i);
            }
            this.state = State.Done;
            i++;
            break;
          }
          if (b === OPEN_BRACE && this.fastPath) {
            this.learnJoin(buf, i);
            const end = this.wholeObject(buf, i, out);
            if (end > 0) {
              i = end;
              this.state = State.AfterElement;
              break;
            }
          }
          start = i;
          this.elementStart = this.base + i;
          this.hasNewline = false;
          this.pending.length = 0;
          this.pendingBytes = 0;
          if (b === OPEN_BRACE || b === OPEN_BRACKET) {
            this.state = State.InContainer;
            this.depth = 1;
            this.inString = false;
            i++;
          } else if (b === QUOTE) {
            this.state = State.InContainer;
            this.depth = 0;
            this.inString = true;
            i++;
          } else if (b === CLOSE_BRACE || b === COMMA || b === COLON) {
            throw this.error(`expected an element but found ${describeByte(b)}`, i);
          } else {
            this.state = State.InScalar;
          }
          break;
        }
        case State.InScalar: {
          while (i < len) {
            const b = buf[i];
            if (b === COMMA || b === CLOSE_BRACKET || isWhitespace(b)) break;
            i++;
          }
          if (i < len) {
            out.push(this.finishElement(buf, start, i));
            this.state = State.AfterElement;
          }
          break;
        }
        case State.BeforeArray: {
          const b = buf[i];
          if (b === OPEN_BRACKET) this.state = State.FirstElement;
          else if (!isWhitespace(b)) {
            // A UTF-8 byte order mark is tolerated before the array.
            // (Matched byte by byte: the mark itself may be split between chunks.)
            const at = this.base + i;
            if (at < 3 && b === UTF8_BOM[at]) {
              i++;
              break;
            }
            const what =
              b === 0x3c
                ? 'an HTML or XML page'
                : b === OPEN_BRACE
                  ? 'a JSON object'
                  : `something starting with ${describeByte(b)}`;
            throw this.error(`the response is not a JSON array: it is ${what}`, i);
          }
          i++;
          break;
        }
        case State.Done: {
          const b = buf[i];
          if (!isWhitespace(b)) throw this.error(`unexpected ${describeByte(b)} after the closing "]"`, i);
          i++;
          break;
        }
      }
    }
    // Keep (a copy of) the unfinished element's bytes: the caller may reuse the chunk. Refused
    // before the copy when it would take the element past the limit, so memory stays bounded.
    if (this.state === State.InContainer || this.state === State.InScalar) {
      this.checkElementSize(this.pendingBytes + (len - start));
      this.pending.push(Buffer.from(buf.subarray(start, len)));
      this.pendingBytes += len - start;
    }
    this.base += len;
    return out;
  }

  /** Declares the end of the body. Throws when the array was not complete. */
  end(): void {
    if (this.state === State.Done) return;
    if (this.state === State.BeforeArray) {
      throw this.error(
        this.base === 0 ? 'the response body is empty' : 'the response holds only whitespace',
        0,
        true,
      );
    }
    const where =
      this.state === State.InContainer || this.state === State.InScalar
        ? `inside element ${this.complete + 1}`
        : 'before the closing "]"';
    throw this.error(`the response was cut off ${where}`, 0, true);
  }

  private checkElementSize(size: number): void {
    if (size <= this.maxElementBytes) return;
    throw new JsonArrayStreamError(
      `Malformed response: element ${this.complete + 1} (from byte ${this.elementStart}) is larger than ${formatBytes(this.maxElementBytes)}, the largest element accepted (${this.complete} element${this.complete === 1 ? '' : 's'} complete before it).`,
      this.elementStart,
      this.complete,
    );
  }

  /**
   * The fast path for an object element that starts at `i` and ends in this chunk, tried before the
   * byte-by-byte scan: NP6 separates its events with "},{", and Buffer.indexOf finds that sequence
   * about seven times faster than the scan walks the bytes. The text up to the first "}" of a
   * "},{" is taken to be the element only when JSON.parse accepts it whole: a complete JSON value
   * that ends there is exactly where the scan would have ended the element (a "},{" inside a string
   * or between nested objects leaves an unfinished value, which JSON.parse refuses). Otherwise, or
   * when it is larger than the limit, returns -1 and the scan does the work, errors included. Given
   * up for the rest of the body once more than one try in five misses (after FAST_PATH_TRIAL
   * misses): a body whose elements hold arrays of objects, or a hostile one, costs at most one
   * JSON.parse in vain (of at most one chunk) for one element in five.
   * Returns the index after the element, its record appended to `out`.
   */
  private wholeObject(buf: Buffer, i: number, out: JsonArrayElement[]): number {
    if (
      this.joinAt === BREAK_UNKNOWN ||
      this.joinFrom > i + 1 ||
      (this.joinAt !== BREAK_NONE && this.joinAt < i + 1)
    ) {
      this.joinAt = buf.indexOf(this.join, i + 1);
      this.joinFrom = i + 1;
    }
    const j = this.joinAt;
    if (j < 0) return -1;
    const end = j + 1;
    if (end - i > this.maxElementBytes) return -1;
    const text = buf.toString('utf8', i, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (++this.misses > FAST_PATH_TRIAL && this.misses * 4 > this.hits) this.fastPath = false;
      return -1;
    }
    this.hits++;
    const element: JsonArrayElement = { text, value, offset: this.base + i };
    if (this.breakWithin(buf, i, end)) element.text = text.replace(NEWLINES, ' ');
    else if (this.keepBytes) element.bytes = buf.subarray(i, end);
    out.push(element);
    this.lastEnd = end;
    this.complete++;
    return end;
  }

  /** Whether buf[i, end) holds a CR or LF (positions searched at most once per chunk and byte). */
  private breakWithin(buf: Buffer, i: number, end: number): boolean {
    if (this.nextLf !== BREAK_NONE && this.nextLf < i) this.nextLf = buf.indexOf(LF, i);
    if (this.nextCr !== BREAK_NONE && this.nextCr < i) this.nextCr = buf.indexOf(CR, i);
    return (this.nextLf >= 0 && this.nextLf < end) || (this.nextCr >= 0 && this.nextCr < end);
  }

  /**
   * At the "{" at `i` that follows an object element ended in this chunk: the bytes from that
   * element's "}" to this "{" are the body's separator; the fast path looks for them from now on
   * when they differ from what it looked for (a few bytes; longer gaps are not learnt).
   */
  private learnJoin(buf: Buffer, i: number): void {
    const from = this.lastEnd - 1;
    const n = i - from + 1;
    if (from < 0 || n > MAX_JOIN_BYTES || buf[from] !== CLOSE_BRACE) return;
    // Compared in place (this runs for every element): nothing is allocated unless it changed.
    const join = this.join;
    if (n === join.length) {
      let k = 1;
      while (k < n && buf[from + k] === join[k]) k++;
      if (k === n) return;
    }
    this.join = Buffer.from(buf.subarray(from, i + 1));
    this.joinAt = BREAK_UNKNOWN;
  }

  private finishElement(buf: Buffer, start: number, end: number): JsonArrayElement {
    this.checkElementSize(this.pendingBytes + (end - start));
    let text: string;
    let bytes: Buffer;
    if (this.pending.length === 0) {
      bytes = buf.subarray(start, end);
      text = bytes.toString('utf8');
    } else {
      this.pending.push(buf.subarray(0, end));
      bytes = Buffer.concat(this.pending);
      text = bytes.toString('utf8');
      this.pending.length = 0;
      this.pendingBytes = 0;
    }
    if (this.hasNewline) text = text.replace(NEWLINES, ' ');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new JsonArrayStreamError(
        `element ${this.complete + 1} (at byte ${this.elementStart}) is not valid JSON: ${reason}`,
        this.elementStart,
        this.complete,
      );
    }
    this.complete++;
    return this.keepBytes && !this.hasNewline
      ? { text, value, offset: this.elementStart, bytes }
      : { text, value, offset: this.elementStart };
  }

  private error(what: string, i: number, atEnd = false): JsonArrayStreamError {
    const offset = atEnd ? this.base : this.base + i;
    return new JsonArrayStreamError(
      `Malformed response at byte ${offset}: ${what} (${this.complete} element${this.complete === 1 ? '' : 's'} complete before it).`,
      offset,
      this.complete,
    );
  }
}
