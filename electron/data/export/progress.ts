// Cancel and progress for the row loops. better-sqlite3 iterates synchronously, so without an explicit yield an
// abort() or a progress redraw scheduled elsewhere would never run until the export ended.
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface ExportProgress {
  /** Rows written so far. */
  rows: number;
  /** Rows the export will hold, when known. */
  total?: number;
}

export interface RowLoopHooks {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  total?: number;
}

const EVERY_ROWS = 10_000;

export class RowLoop {
  private readonly hooks: RowLoopHooks;
  rows = 0;

  constructor(hooks: RowLoopHooks) {
    this.hooks = hooks;
    hooks.signal?.throwIfAborted();
  }

  /** True once every EVERY_ROWS rows: the caller then awaits checkpoint(). */
  count(): boolean {
    return ++this.rows % EVERY_ROWS === 0;
  }

  async checkpoint(): Promise<void> {
    await nextTurn();
    this.hooks.signal?.throwIfAborted();
    this.report();
  }

  report(): void {
    this.hooks.onProgress?.({ rows: this.rows, ...(this.hooks.total !== undefined ? { total: this.hooks.total } : {}) });
  }
}
