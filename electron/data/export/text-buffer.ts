// Text collected row by row and handed on as UTF-8 blocks of about 256 KiB. Each row is encoded into the block
// at once, so its string dies young: holding rows as one long string until the block is full made V8 promote
// them and grow the heap by 100 MB over a million rows.
const BLOCK_BYTES = 1 << 18;

export class TextBuffer {
  private readonly sink: (buf: Buffer) => Promise<void>;
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;
  /** Blocks filled and waiting for flush(). */
  private filled: Buffer[] = [];

  constructor(sink: (buf: Buffer) => Promise<void>) {
    this.sink = sink;
  }

  push(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a text too long for a fresh block goes on its own.
    if (this.used + text.length * 3 > BLOCK_BYTES) {
      this.seal();
      if (text.length * 3 > BLOCK_BYTES) {
        this.filled.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.block.write(text, this.used, 'utf8');
  }

  /** Ends the current block; the sink may keep it, so a new one is started. */
  private seal(): void {
    if (this.used === 0) return;
    this.filled.push(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafe(BLOCK_BYTES);
    this.used = 0;
  }

  get full(): boolean {
    return this.filled.length > 0;
  }

  async flush(): Promise<void> {
    this.seal();
    const blocks = this.filled;
    this.filled = [];
    for (const b of blocks) await this.sink(b);
  }
}
