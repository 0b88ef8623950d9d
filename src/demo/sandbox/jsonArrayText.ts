// Assembles a JSON array's bytes from element texts straight into buffers (no big intermediate
// strings to build, flatten and re-encode), shared by the server and renderToFile so both produce
// the same bytes.

const BUFFER_BYTES = 256 * 1024;
/** Now and then a newline and indentation between elements, as pretty-ish servers do. */
const WHITESPACE_EVERY = 997;

export class JsonArrayText {
  /** Buffers handed back once written: reusing them spares the GC most of the external memory churn. */
  private readonly spare: Buffer[] = [];
  private buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private pos = 0;
  /** Elements added so far. */
  count = 0;

  constructor() {
    this.pos = this.buf.write('[', 0);
  }

  /** Bytes waiting to be taken. */
  get length(): number {
    return this.pos;
  }

  /** Appends an element; returns false when the buffer should be taken first (it is then unchanged). */
  add(text: string): boolean {
    const sep = this.count === 0 ? '' : this.count % WHITESPACE_EVERY === 0 ? ',\n  ' : ',';
    return this.raw(sep + text, true);
  }

  /** Appends raw text (a broken element for fault injection, the closing bracket). */
  raw(text: string, element = false): boolean {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes: check room without measuring.
    if (this.pos + text.length * 3 > this.buf.length) {
      if (this.pos > 0) return false;
      this.buf = Buffer.allocUnsafe(text.length * 3);
    }
    this.pos += this.buf.write(text, this.pos);
    if (element) this.count++;
    return true;
  }

  /** Hands over the bytes written so far and starts a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.pos = 0;
    return out;
  }

  /** Gives back a buffer from take() once its bytes are written (not before: writes keep a reference). */
  recycle(taken: Buffer): void {
    if (taken.byteOffset === 0 && taken.buffer.byteLength === BUFFER_BYTES && this.spare.length < 4) {
      this.spare.push(Buffer.from(taken.buffer, 0, BUFFER_BYTES));
    }
  }
}
