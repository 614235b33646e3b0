// The sync engine's commit queue for one account (sync.ts): fetched pages wait in a batch; one commit at a time,
// in order, takes every page waiting once the batch is due. A commit's failure stops further commits, so no later
// page moves the cursor past calls that were not stored.
import type { CommitPage } from './store.ts';

/**
 * A commit starts once the pages waiting hold BATCH_ROWS calls or the oldest has waited BATCH_WAIT_MS, and the
 * previous commit is done. While a commit runs on the writer thread, pages go on arriving and the next commit
 * takes them all: commits grow as large as the writer is slow (larger commits write each index page once for more
 * calls), up to MAX_BATCH_ROWS, where fetching waits for the writer.
 */
export const BATCH_ROWS = 2000;
export const BATCH_WAIT_MS = 250;
export const MAX_BATCH_ROWS = 20_000;

export const TIMED_OUT = Symbol('timed out');

/** Fetched pages waiting for their transaction: due at `maxRows` calls, or `waitMs` after the first came. */
class PageBatch {
  private pages: CommitPage[] = [];
  rows = 0;
  private dueAt = 0;
  private readonly maxRows: number;
  private readonly waitMs: number;

  constructor(maxRows: number, waitMs: number) {
    this.maxRows = maxRows;
    this.waitMs = waitMs;
  }

  add(page: CommitPage): void {
    if (!this.pages.length) this.dueAt = Date.now() + this.waitMs;
    this.pages.push(page);
    this.rows += page.rows.length;
  }

  get empty(): boolean {
    return this.pages.length === 0;
  }

  /** Whether the pages should be committed now (as soon as no other commit runs). */
  get due(): boolean {
    return this.pages.length > 0 && (this.rows >= this.maxRows || Date.now() >= this.dueAt);
  }

  take(): CommitPage[] {
    const pages = this.pages;
    this.pages = [];
    this.rows = 0;
    return pages;
  }

  /** The next page, or TIMED_OUT when pages are waiting and their commit falls due first. */
  within<T>(next: Promise<T>): Promise<T | typeof TIMED_OUT> {
    if (!this.pages.length) return next;
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        // Due now, even if Date.now() is a millisecond short of dueAt (timers run on another clock).
        this.dueAt = 0;
        resolve(TIMED_OUT);
      }, Math.max(0, this.dueAt - Date.now()));
    });
    return Promise.race([next, due]).finally(() => clearTimeout(timer));
  }
}

/** Commits pages in order, one transaction at a time, through `commit` (the engine's, sync.ts). */
export class CommitQueue {
  private readonly batch: PageBatch;
  private readonly commit: (pages: CommitPage[]) => Promise<void>;
  private readonly stopped: () => boolean;
  /** The commit running, if any. It never rejects: its failure is kept in `failure`. */
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  /** `stopped`: the sync was cancelled, so no further commit starts. */
  constructor(maxRows: number, waitMs: number, commit: (pages: CommitPage[]) => Promise<void>, stopped: () => boolean) {
    this.batch = new PageBatch(maxRows, waitMs);
    this.commit = commit;
    this.stopped = stopped;
  }

  /** Queues a page; waits only when the writer is behind by MAX_BATCH_ROWS calls, rather than hold more. */
  async add(page: CommitPage): Promise<void> {
    this.batch.add(page);
    this.pump();
    while (this.running && this.batch.rows >= MAX_BATCH_ROWS) await this.running;
    this.throwIfFailed();
  }

  /** Starts the next commit when the batch is due and none runs (and the sync goes on). */
  pump(): void {
    if (!this.running && !this.failure && !this.stopped() && this.batch.due) this.start();
  }

  /** The next page, or TIMED_OUT when pages are waiting and their commit falls due first. */
  within<T>(next: Promise<T>): Promise<T | typeof TIMED_OUT> {
    return this.batch.within(next);
  }

  /** Throws the error of a commit that failed (or of a progress listener it called). */
  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the commit running, if any. */
  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Commits every page queued, unless a commit has failed (throws its error) or the sync was cancelled. */
  async drain(): Promise<void> {
    for (;;) {
      await this.settle();
      this.throwIfFailed();
      if (this.batch.empty || this.stopped()) return;
      this.start();
    }
  }

  private start(): void {
    this.running = this.commit(this.batch.take())
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running = null;
        this.pump();
      });
  }
}
