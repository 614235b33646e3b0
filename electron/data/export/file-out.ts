// A file written front to back in large chunks through a FileHandle: one awaited write per megabyte, so the
// export loop yields to the event loop (cancel, progress) and disk errors surface where they happen.
import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;
/** Written bytes that start a sync in the background (syncAhead). */
const SYNC_AHEAD_BYTES = 32 << 20;

export class FileOut {
  private readonly handle: FileHandle;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to write() so far (the offset of the next byte in the file). */
  bytes = 0;
  private written = 0;
  private syncedTo = 0;
  private syncing: Promise<void> | null = null;
  private syncError: unknown = null;

  constructor(handle: FileHandle) {
    this.handle = handle;
  }

  async write(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.bytes += buf.length;
    if (this.pendingBytes >= CHUNK_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const blocks = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    // Gathered by the kernel (writev), not copied into one buffer first: that copy was a megabyte of garbage per write.
    const written = (await this.handle.writev(blocks)).bytesWritten;
    if (written < total) {
      const rest = Buffer.concat(blocks, total).subarray(written);
      for (let at = 0; at < rest.length;) at += (await this.handle.write(rest, at)).bytesWritten;
    }
    this.written += total;
    this.syncAhead();
  }

  /**
   * Writes at once, blocking this thread, after what write() has taken: for a writer that hands out work and
   * gets its results between batches of its own (csv-parallel.ts), where an awaited write moved on only once per
   * such batch and held everything up.
   */
  writeNow(buf: Buffer): void {
    if (this.pendingBytes) throw new Error('FileOut.writeNow after write() without flush()');
    for (let at = 0; at < buf.length;) at += writeSync(this.handle.fd, buf, at);
    this.bytes += buf.length;
    this.written += buf.length;
    this.syncAhead();
  }

  /**
   * Has the disk take what is written so far while the export goes on, every SYNC_AHEAD_BYTES: the page cache
   * otherwise held all of a 180 MB export for finish(), whose sync then took a few tenths of a second at the end.
   */
  private syncAhead(): void {
    if (this.syncing || this.written - this.syncedTo < SYNC_AHEAD_BYTES) return;
    const upTo = this.written;
    this.syncing = this.handle.datasync().then(
      () => { this.syncedTo = upTo; },
      (err: unknown) => { this.syncError ??= err; },
    ).finally(() => { this.syncing = null; });
  }

  /** Flushes, syncs to disk (the rename that follows must not publish a file whose data is still in cache). */
  async finish(): Promise<void> {
    await this.flush();
    await this.syncing;
    if (this.syncError) throw this.syncError;
    await this.handle.sync();
  }
}
