// Text collected row by row and handed on as UTF-8 in blocks of about 256 KiB: string concatenation is cheap
// in V8, and one Buffer.from per block is far cheaper than one per cell.
const BLOCK_CHARS = 1 << 18;

export class TextBuffer {
  private text = '';
  private readonly sink: (buf: Buffer) => Promise<void>;

  constructor(sink: (buf: Buffer) => Promise<void>) {
    this.sink = sink;
  }

  push(text: string): void {
    this.text += text;
  }

  get full(): boolean {
    return this.text.length >= BLOCK_CHARS;
  }

  async flush(): Promise<void> {
    if (!this.text) return;
    const buf = Buffer.from(this.text, 'utf8');
    this.text = '';
    await this.sink(buf);
  }
}
