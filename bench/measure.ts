// One timed measurement: wall seconds, and this thread's CPU seconds (the main thread runs the sync, SQLite
// included; simulator worker threads are not counted), so figures taken on a busy machine stay comparable.
export interface Figure {
  n: number;
  seconds: number;
  /** Per wall-clock second. */
  perSec: number;
  /** Per second of this thread's CPU time. */
  perCpuSec: number;
  cpuSeconds: number;
}

/** Times fn; CPU is this thread's, or with `allThreads` the whole process's (work handed to worker threads). */
export async function measure(n: number, fn: () => unknown, allThreads = false): Promise<Figure> {
  const usage = allThreads ? process.cpuUsage : process.threadCpuUsage;
  const cpu0 = usage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = usage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { n, seconds, perSec: n / seconds, perCpuSec: n / cpuSeconds, cpuSeconds };
}

export const perSecText = (f: Figure) =>
  `${f.n.toLocaleString('en-US')} in ${f.seconds.toFixed(2)} s = ${Math.round(f.perSec).toLocaleString('en-US')}/s (${Math.round(f.perCpuSec).toLocaleString('en-US')} per CPU-second)`;

/** How many times `npm run bench` runs a figure that one run cannot settle: sync ratios, wire ceilings. */
export const MEDIAN_RUNS = 3;

/** " (a, b, c)": every run's value, in the order run, after the median one; nothing for a figure of one run. */
export const everyRun = (values: readonly number[] | undefined, format: (v: number) => string): string =>
  values && values.length > 1 ? ` (${values.map(format).join(', ')})` : '';

/**
 * Runs `once` `runs` times in turn and returns the run whose `key` is the median (the lower middle of an even
 * count), with every run's key in the order run. On two cores shared with a simulator and a writer thread, one
 * run of a figure moves with whatever else the machine does.
 */
export async function medianRun<T>(runs: number, once: () => Promise<T>, key: (run: T) => number): Promise<{ median: T; keys: number[] }> {
  const done: T[] = [];
  for (let i = 0; i < runs; i++) done.push(await once());
  const median = [...done].sort((a, b) => key(a) - key(b))[Math.floor((runs - 1) / 2)]!;
  return { median, keys: done.map(key) };
}
