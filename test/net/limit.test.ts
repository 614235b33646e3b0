// limit(): at most n at once, results in order, and after a failure nothing new starts.
import { describe, expect, it } from 'vitest';
import { limit } from '../../electron/data/net/limit.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('limit', () => {
  it('keeps input order and never runs more than the limit', async () => {
    let running = 0;
    let max = 0;
    const out = await limit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      max = Math.max(max, running);
      await tick(n * 3);
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(max).toBe(2);
  });

  it('after the first failure starts nothing more, waits for the running ones, then throws that failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const err = await limit([0, 1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      await tick(n === 1 ? 5 : 30);
      finished.push(n);
      if (n === 1) throw new Error('refused at 1');
      return n;
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe('refused at 1');
    expect(started).toEqual([0, 1, 2]);
    // The two still running when 1 failed finished before limit() returned: nothing runs on behind the caller.
    expect(finished.sort()).toEqual([0, 1, 2]);
  });

  it('an empty list is an empty result', async () => {
    expect(await limit([], 4, async () => 1)).toEqual([]);
  });
});
