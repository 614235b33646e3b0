// Where the sync engine's transactions run. A small sync commits on the engine's own connection, in line. A large
// one (past THREAD_AFTER_ROWS, or a first sync from its start: startThread) moves its commits to a writer thread
// with its own connection to the same file (WAL lets them share it), so that fetching, parsing and mapping the
// next pages on this thread overlap with SQLite writing the previous ones:
// on the million-call bench each took about half the time of a sync. Commits stay in order and one at a time, as
// SQLite has one writer anyway; each is still whole pages plus the last one's cursor in one transaction.
import type { Database } from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { UpsertCounts } from '../db/cdrs.ts';
import { WritePath } from '../db/write-path.ts';
import { AccountStore, type CommitPage, type CommitRequest } from './store.ts';

/** A sync moves its commits to the writer thread once this many calls have been fetched in it. */
export const THREAD_AFTER_ROWS = 10_000;

export type WriterMode = 'auto' | 'inline' | 'thread';

/**
 * A commit's pages cross to the thread in messages of about this many calls and leads at most, with a turn of the
 * event loop between them: a message is cloned on the sending thread, the one that reads answers and sends the
 * next requests, and a large commit (a writer behind on a busy machine) cloned at once would hold it long.
 */
export const POST_ROWS = 1000;

/** `part`: pages of the commit `id` sent ahead of it (the thread holds them until that commit comes). */
export type WriterRequest =
  | { type: 'part'; id: number; pages: CommitPage[] }
  | { type: 'commit'; id: number; req: CommitRequest }
  | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  | { type: 'committed'; counts: UpsertCounts[] }
  | { type: 'failed'; error: { name: string; message: string; code?: string } }
  | { type: 'closed' };

export interface WriterInit {
  file: string;
}

/** Where the thread's code is: beside this file as .ts (plain Node), or sync-writer-worker.cjs beside the bundle. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./writer-worker.ts', here) : new URL('./sync-writer-worker.cjs', here);
}

/** An Error as the thread reported it: same name, message and SQLite code. */
function rebuiltError(e: { name: string; message: string; code?: string }): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  return err;
}

/** Calls and leads a page brings: what its message costs to clone. */
const sizeOf = (page: CommitPage) => page.rows.length + (page.leads?.length ?? 0);

/** The writer thread: requests are answered in the order sent (parts are not answered). */
class WriterThread {
  private readonly worker: Worker;
  private waiting: { resolve: (r: WriterReply) => void; reject: (e: unknown) => void }[] = [];
  private failure: Error | null = null;
  /** Whether any request was sent: a thread never asked anything is ended without waiting for it to load. */
  private asked = false;
  /** Whether the thread has loaded its code and opened its connection. */
  ready = false;
  /** Commits sent so far: the id that ties a commit's parts to it. */
  private commits = 0;
  /** Settles once the last commit asked is wholly posted (close comes after it, never between its parts). */
  private posting: Promise<void> = Promise.resolve();

  constructor(init: WriterInit) {
    this.worker = new Worker(workerUrl(), { workerData: init });
    this.worker.on('message', (r: WriterReply) => {
      if (r.type === 'ready') this.ready = true;
      else this.waiting.shift()?.resolve(r);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`sync writer thread stopped (exit code ${code})`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  private request(msg: WriterRequest): Promise<WriterReply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<WriterReply>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.asked = true;
    this.worker.postMessage(msg);
    return reply;
  }

  /** Posts the commit's pages in parts of POST_ROWS at most, then the commit; its reply in a box (not awaited). */
  private async send(req: CommitRequest): Promise<{ reply: Promise<WriterReply> }> {
    const id = ++this.commits;
    let pages = req.pages;
    for (;;) {
      let n = 0;
      let k = 0;
      while (k < pages.length && (k === 0 || n + sizeOf(pages[k]!) <= POST_ROWS)) n += sizeOf(pages[k++]!);
      if (k === pages.length) break;
      if (this.failure) throw this.failure;
      this.asked = true;
      this.worker.postMessage({ type: 'part', id, pages: pages.slice(0, k) } satisfies WriterRequest);
      pages = pages.slice(k);
      await new Promise<void>((resolve) => setImmediate(resolve)); // answers that came meanwhile are read now
    }
    return { reply: this.request({ type: 'commit', id, req: pages === req.pages ? req : { ...req, pages } }) };
  }

  async commit(req: CommitRequest): Promise<UpsertCounts[]> {
    const sent = this.send(req);
    this.posting = sent.then(() => undefined, () => undefined);
    const r = await (await sent).reply;
    if (r.type === 'committed') return r.counts;
    if (r.type === 'failed') throw rebuiltError(r.error);
    throw new Error(`sync writer thread answered ${r.type} to a commit`);
  }

  async close(): Promise<void> {
    await this.posting;
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    // A thread ends by itself once it has closed its connection: terminating one while V8 compiles has aborted the
    // process. A thread never asked anything may still be loading: it is told to close, and not waited for.
    const used = this.asked;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const closing = this.request({ type: 'close' }).then((r) => r.type === 'closed', () => false);
    if (!used) {
      this.worker.unref();
      return;
    }
    if (await closing) await exited;
    else await this.worker.terminate();
  }
}

/**
 * The sync engine's committer for one run (any number of accounts), or for the data host's whole life: in line
 * until it has fetched THREAD_AFTER_ROWS calls or a thread started early has loaded (or always / never, by `mode`),
 * then on the writer thread. A
 * database in memory has no file a thread could open: its commits always run in line. Every commit, and the
 * engine's bookkeeping (`path.write`), takes its turn on `path`: the data host passes its one write path.
 */
export class SyncWriter {
  private readonly db: Database;
  private readonly inline: AccountStore;
  private readonly mode: WriterMode;
  private thread: WriterThread | null = null;
  private rows = 0;
  /** Whether a commit has gone to the thread. */
  private moved = false;
  /** Where every write of this committer's user takes its turn (db/write-path.ts). */
  readonly path: WritePath;
  /** Writer threads started so far: one for a committer's whole life unless its thread died. */
  threadsStarted = 0;

  constructor(db: Database, inline: AccountStore, mode: WriterMode = 'auto', path: WritePath = new WritePath(db)) {
    this.db = db;
    this.inline = inline;
    this.mode = db.memory ? 'inline' : mode;
    this.path = path;
  }

  /** Commits in order, each in its turn on the write path. Never throws: rejects. */
  commit(req: CommitRequest): Promise<UpsertCounts[]> {
    try {
      this.rows += req.pages.reduce((n, p) => n + p.rows.length, 0);
      // A thread started early (startThread) takes the commits once it has loaded; until then they run in line.
      const threaded = this.thread?.ready || this.mode === 'thread' || (this.mode === 'auto' && this.rows > THREAD_AFTER_ROWS);
      if (threaded) {
        this.startThread();
        const thread = this.thread!;
        this.moved = true;
        return this.path.hold(() => thread.commit(req));
      }
      return this.path.write(() => this.inline.commit(req));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Starts the writer thread now, unless commits stay in line: a sync that will be large calls it as it starts, so
   * the thread loads its modules while the first request is in flight and no commit blocks this thread's fetching.
   * Every commit runs there once it has loaded (in line before: a small sync does not wait for it).
   */
  startThread(): void {
    if (this.mode === 'inline' || this.thread) return;
    this.thread = new WriterThread({ file: this.db.name });
    this.threadsStarted++;
  }

  /** Whether commits have moved to the thread (tests, bench). */
  get threaded(): boolean {
    return this.moved;
  }

  async close(): Promise<void> {
    await this.thread?.close();
    this.thread = null;
    this.moved = false;
  }
}
