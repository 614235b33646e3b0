// A streamed ZIP container (the package an .xlsx is), written front to back: each entry is a local header,
// raw-deflate data and a data descriptor; the central directory comes at the end. Blocks are deflated on
// libuv's thread pool while the next block of XML is being built, so the two overlap on separate cores.
// Sync-flushed deflate segments concatenate into one valid deflate stream; the last entry block closes it.
// No ZIP64: callers keep each entry under 4 GiB (xlsx.ts starts a new sheet well before).
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, deflateRawSync, type ZlibOptions } from 'node:zlib';
import type { FileOut } from './file-out.ts';

const deflateAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);
const LIMIT_32 = 0xffff_ffff;

interface CentralRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time of `d` (local), as ZIP headers store them. */
function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  private readonly out: FileOut;
  private readonly level: number;
  private readonly stamp = dosDateTime(new Date());
  private readonly records: CentralRecord[] = [];
  private open: ZipEntry | null = null;

  constructor(out: FileOut, level = 1) {
    this.out = out;
    this.level = level;
  }

  /** Starts an entry; only one is open at a time. Write with entry.write(), end with entry.close(). */
  async entry(name: string): Promise<ZipEntry> {
    if (this.open) throw new Error(`zip entry ${name} opened while another is open`);
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.out.bytes;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    h.writeUInt16LE(0x0808, 6); // sizes in the data descriptor; UTF-8 names
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt16LE(nameBuf.length, 26);
    await this.out.write(h);
    await this.out.write(nameBuf);
    const entry = new ZipEntry(this.out, { level: this.level, finishFlush: constants.Z_SYNC_FLUSH }, (crc, compressed, size) => {
      this.records.push({ name: nameBuf, crc, compressed, size, offset });
      this.open = null;
    });
    this.open = entry;
    return entry;
  }

  async addText(name: string, text: string): Promise<void> {
    const e = await this.entry(name);
    await e.write(Buffer.from(text, 'utf8'));
    await e.close();
  }

  /** Writes the central directory; the file is complete after this. */
  async finish(): Promise<void> {
    const start = this.out.bytes;
    for (const r of this.records) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0808, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(this.stamp.time, 12);
      c.writeUInt16LE(this.stamp.date, 14);
      c.writeUInt32LE(r.crc, 16);
      c.writeUInt32LE(r.compressed, 20);
      c.writeUInt32LE(r.size, 24);
      c.writeUInt16LE(r.name.length, 28);
      c.writeUInt32LE(r.offset, 42);
      await this.out.write(c);
      await this.out.write(r.name);
    }
    const size = this.out.bytes - start;
    if (start > LIMIT_32) throw new Error('the spreadsheet is larger than 4 GiB, which this writer does not support; export fewer rows');
    const e = Buffer.alloc(22);
    e.writeUInt32LE(0x06054b50, 0);
    e.writeUInt16LE(this.records.length, 8);
    e.writeUInt16LE(this.records.length, 10);
    e.writeUInt32LE(size, 12);
    e.writeUInt32LE(start, 16);
    await this.out.write(e);
  }
}

export class ZipEntry {
  private readonly out: FileOut;
  private readonly options: ZlibOptions;
  private readonly done: (crc: number, compressed: number, size: number) => void;
  private crc = 0;
  private compressed = 0;
  /** Uncompressed bytes so far. */
  size = 0;
  private inflight: Promise<Buffer> | null = null;

  constructor(out: FileOut, options: ZlibOptions, done: (crc: number, compressed: number, size: number) => void) {
    this.out = out;
    this.options = options;
    this.done = done;
  }

  /** Queues `buf` for deflate; resolves once the previous block is compressed and written (one in flight). */
  async write(buf: Buffer): Promise<void> {
    this.crc = crc32(buf, this.crc);
    this.size += buf.length;
    if (this.size > LIMIT_32) throw new Error('a zip entry passed 4 GiB, which this writer does not support');
    const next = deflateAsync(buf, this.options);
    next.catch(() => {}); // awaited below or by the next call; avoid an unhandled rejection meanwhile
    await this.drain();
    this.inflight = next;
  }

  private async drain(): Promise<void> {
    if (!this.inflight) return;
    const data = await this.inflight;
    this.inflight = null;
    this.compressed += data.length;
    await this.out.write(data);
  }

  async close(): Promise<void> {
    await this.drain();
    const end = deflateRawSync(Buffer.alloc(0)); // the final (empty) block
    this.compressed += end.length;
    await this.out.write(end);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(this.crc, 4);
    d.writeUInt32LE(this.compressed, 8);
    d.writeUInt32LE(this.size, 12);
    await this.out.write(d);
    this.done(this.crc, this.compressed, this.size);
  }
}
