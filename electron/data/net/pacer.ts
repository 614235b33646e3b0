// One pacer per account: every request of the account waits here for a free slot (the descriptor's
// `limits.concurrency`) and for the end of any pause. A 429/503 with Retry-After, or any other retryable failure,
// pauses ALL of the account's requests (retries and new ones alike), not only the one that got it: a provider
// that says "slow down" is answered by the whole account slowing down. The backoff is shared too: it grows with
// each wave of failures and falls back when a request succeeds.

export interface PacerOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Base delay of the shared exponential backoff. */
  backoffMs: number;
  /** No pause lasts longer, whatever Retry-After says. */
  maxBackoffMs: number;
}

/** What one attempt holds while it is on the wire; handed back with its outcome. */
export interface PacerTicket {
  /** The failure wave current when the attempt was sent (see `failed`). */
  readonly wave: number;
  release(): void;
}

export class AccountPacer {
  private active = 0;
  /** Retries waiting for a slot: they go before new requests, in the order they failed. */
  private readonly retries = new Set<() => void>();
  private readonly fresh = new Set<() => void>();
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | null = null;
  /** Failure waves since the last success: the exponent of the shared backoff. */
  private streak = 0;
  /** Bumped at each pause, so attempts that were already in flight when it began do not lengthen it again. */
  private wave = 0;
  private readonly o: PacerOptions;

  constructor(options: PacerOptions) {
    this.o = { ...options, concurrency: Math.max(1, Math.floor(options.concurrency)) };
  }

  /** Milliseconds left in the current pause (0 when none). */
  pauseLeftMs(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  /**
   * Waits until the account is not paused and a slot is free; a retry goes before requests not yet sent, so a
   * request that failed is not starved by new ones after a pause. Rejects with the signal's reason on abort.
   */
  async acquire(signal?: AbortSignal, retry = false): Promise<PacerTicket> {
    for (;;) {
      signal?.throwIfAborted();
      const free = this.pauseLeftMs() === 0 && this.active < this.o.concurrency && (retry || this.retries.size === 0);
      if (free) {
        this.active++;
        let released = false;
        return {
          wave: this.wave,
          release: () => {
            if (released) return;
            released = true;
            this.active--;
            this.wake();
          },
        };
      }
      await this.wait(retry ? this.retries : this.fresh, signal);
    }
  }

  /** The attempt got a proper answer: the shared backoff starts again from its base. */
  succeeded(): void {
    this.streak = 0;
  }

  /**
   * The attempt failed in a way worth retrying. With a Retry-After the account pauses that long; otherwise the
   * first failure of a wave pauses it for the shared backoff, and failures of attempts sent before that pause
   * began only wait for it (four requests refused together are one signal, not four).
   */
  failed(ticket: PacerTicket, retryAfterMs?: number): void {
    let delay: number | undefined;
    if (retryAfterMs !== undefined) delay = retryAfterMs;
    else if (ticket.wave === this.wave) {
      const backoff = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** this.streak);
      delay = backoff / 2 + Math.random() * (backoff / 2);
    }
    if (delay === undefined) return;
    if (ticket.wave === this.wave) this.streak++;
    this.wave++;
    const until = Date.now() + Math.min(delay, this.o.maxBackoffMs);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    // One timer ends the pause and lets the waiters go, retries first.
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      // Timers run on another clock than Date.now(), which may lag a millisecond: the pause is over now.
      this.pausedUntil = Math.min(this.pausedUntil, Date.now());
      this.wake(true);
    }, until - Date.now());
  }

  private wait(queue: Set<() => void>, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        queue.delete(wake);
        resolve();
      };
      const onAbort = () => {
        queue.delete(wake);
        reject(signal?.reason);
      };
      queue.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lets waiters try again, retries before new requests: one for a freed slot, all at the end of a pause. */
  private wake(all = false): void {
    if (this.pauseLeftMs() > 0) return; // the pause timer wakes them
    for (const queue of [this.retries, this.fresh]) {
      for (const wake of [...queue]) {
        wake();
        if (!all) return;
      }
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
