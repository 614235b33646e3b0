// The sync engine's commit queue (sync/queue.ts) alone: when a batch falls due, one commit at a time, and no
// commit after a failed one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitQueue, TIMED_OUT } from '../../electron/data/sync/queue.ts';
import type { CommitPage } from '../../electron/data/sync/store.ts';

const page = (n: number, cursor: number): CommitPage => ({ rows: Array.from({ length: n }, (_, i) => ({ callId: `${cursor}-${i}`, content: [] })), cursor });
const never = new Promise<never>(() => {});

describe('CommitQueue', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a batch whose wait timed out is committed even if Date.now() has not reached its due time (timers run on another clock)', async () => {
    const committed: unknown[] = [];
    const q = new CommitQueue(10_000, 20, async (pages) => void committed.push(pages.map((p) => p.cursor)), () => false);
    vi.spyOn(Date, 'now').mockReturnValue(1_000_000); // the wall clock stands still while the timer fires
    await q.add(page(100, 1));
    expect(committed).toEqual([]); // not due: 100 calls, no time passed
    expect(await q.within(never)).toBe(TIMED_OUT);
    q.pump();
    await q.settle();
    expect(committed).toEqual([[1]]);
  });

  it('runs one commit at a time, the next taking every page that came meanwhile, in order', async () => {
    const committed: unknown[] = [];
    let release!: () => void;
    const q = new CommitQueue(100, 60_000, async (pages) => {
      committed.push(pages.map((p) => p.cursor));
      if (committed.length === 1) await new Promise<void>((r) => (release = r));
    }, () => false);
    await q.add(page(100, 1)); // due: starts the first commit, which waits
    await q.add(page(100, 2));
    await q.add(page(100, 3));
    expect(committed).toEqual([[1]]);
    release();
    await q.drain();
    expect(committed).toEqual([[1], [2, 3]]);
  });

  it('after a failed commit, no page is committed again and drain throws its error', async () => {
    const committed: unknown[] = [];
    const q = new CommitQueue(100, 60_000, async (pages) => {
      if (pages[0]!.cursor === 1) throw new Error('disk full');
      committed.push(pages.map((p) => p.cursor));
    }, () => false);
    await q.add(page(100, 1));
    await expect(q.add(page(100, 2))).rejects.toThrow('disk full');
    await expect(q.drain()).rejects.toThrow('disk full');
    expect(committed).toEqual([]);
  });

  it('a cancelled sync starts no further commit: drain returns with pages left', async () => {
    const committed: unknown[] = [];
    let cancelled = false;
    const q = new CommitQueue(100, 60_000, async (pages) => void committed.push(pages.map((p) => p.cursor)), () => cancelled);
    await q.add(page(100, 1));
    await q.settle();
    cancelled = true;
    await q.add(page(100, 2));
    await q.drain();
    expect(committed).toEqual([[1]]);
  });
});
