// A file written front to back in large chunks through a FileHandle: one awaited write per megabyte, so the
// export loop yields to the event loop (cancel, progress) and disk errors surface where they happen.
import type { FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

export class FileOut {
  private readonly handle: FileHandle;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to write() so far (the offset of the next byte in the file). */
  bytes = 0;

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
  }

  /** Flushes, syncs to disk (the rename that follows must not publish a file whose data is still in cache). */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle.sync();
  }
}
