// Deterministic randomness for simulators: the same seed gives the same calls, run after run.

export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  /** One of `xs`, chosen in proportion to its weight. */
  weighted<T>(xs: readonly (readonly [T, number])[]): T;
  digits(n: number): string;
  hex(n: number): string;
}

/** mulberry32: tiny, fast and good enough for test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    weighted: (xs) => {
      let r = next() * xs.reduce((s, x) => s + x[1], 0);
      for (const [v, w] of xs) if ((r -= w) < 0) return v;
      return xs[xs.length - 1]![0];
    },
    digits: (n) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join(''),
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
  return rng;
}
