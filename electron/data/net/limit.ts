// The one concurrency helper for adapters.

/**
 * Runs `work` over `items` with at most `concurrency` running at once; results come back in input order.
 * After the first failure no further item is started (a refused token must not cost a hundred more requests);
 * the ones already running are waited for, so nothing is left running behind the caller, and then the first
 * failure is thrown. Items that never started have no result.
 */
export async function limit<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await work(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}

/**
 * `limit()` for work that arrives over time (say pages read ahead, each with its own items): at most
 * `concurrency` jobs run at once, started in the order asked. After the first failure no further job starts (each
 * is refused with that failure), as with `limit()`.
 */
export class SharedLimit {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private failure: { error: unknown } | null = null;
  private readonly concurrency: number;

  constructor(concurrency: number) {
    this.concurrency = Math.max(1, concurrency);
  }

  async run<R>(work: () => Promise<R>): Promise<R> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      if (this.failure) throw this.failure.error;
      return await work();
    } catch (error) {
      this.failure ??= { error };
      throw error;
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}
