// Where the read channels run. On the read thread (a worker with its own read-only connection to the cache file;
// WAL lets it read while the host and the sync writer write), the host's message thread stays free while a long
// summary, sort or count runs: progress events go out and cancel is answered meanwhile. A database in memory has
// no file another thread could open, so its reads run in line.
import type { Database } from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { READS, type ReadChannel } from './reads.ts';

export interface Reader {
  run(channel: ReadChannel, request: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export type ReaderMode = 'inline' | 'thread';

export type ReadRequest = { id: number; channel: ReadChannel; request: unknown };
export type ReadReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { name: string; message: string } };

export interface ReaderInit {
  file: string;
}

/** Beside this file as .ts (plain Node), or read-worker.cjs beside the data host's bundle. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./reader-worker.ts', here) : new URL('./read-worker.cjs', here);
}

export function createReader(db: Database, mode: ReaderMode = 'thread'): Reader {
  if (mode === 'inline' || db.memory) return inlineReader(db);
  return new ReadThread({ file: db.name });
}

function inlineReader(db: Database): Reader {
  return {
    run: async (channel, request) => (READS[channel] as (req: unknown, db: Database) => unknown)(request, db),
    close: async () => undefined,
  };
}

/** One worker, started at the first read; reads are answered in the order asked. */
class ReadThread implements Reader {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private readonly init: ReaderInit;

  constructor(init: ReaderInit) {
    this.init = init;
  }

  private start(): Worker {
    const worker = new Worker(workerUrl(), { workerData: this.init });
    // The host's life is not held up by an idle reader.
    worker.unref();
    worker.on('message', (r: ReadReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (!w) return;
      if (r.ok) w.resolve(r.result);
      else w.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null; // the next read starts a new thread
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the read thread stopped (exit code ${code})`)));
    return worker;
  }

  run(channel: ReadChannel, request: unknown): Promise<unknown> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ id, channel, request } satisfies ReadRequest);
    return answer;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
