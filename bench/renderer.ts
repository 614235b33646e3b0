// Renderer speed over a million cached calls, in Debian's Chromium against a real `cdr-desk preview`:
//   - first paint (first-contentful-paint) and the time until the first page of calls is in the grid;
//   - frame times while scrolling the million-row result (steady wheel-like scrolling, and scrollbar jumps);
//   - the renderer's memory (JS heap via CDP, and the renderer process's PSS from /proc).
// A benchmark, not a test: it prints figures (and writes them as JSON with --json FILE); `npm run bench` runs it
// on the cache it builds by syncing from the simulators.
//
//   node bench/renderer.ts [DATA_DIR] [--json FILE]   (default /tmp/cdr-desk-bench-sync; built first with
//                                                      bench/build-cache.ts when missing)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openWorkspace } from '../electron/data/workspace.ts';
import type { CDPSession, Page } from 'playwright-core';
import { ensureCache } from './build-cache.ts';
import { ensureRendererBuilt, launchChromium, startPreview } from '../test/e2e/harness.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'string' } } });
const dataDir = positionals[0] ?? '/tmp/cdr-desk-bench-sync';
const log = (line: string) => console.error(line);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Waits until the grid shows real cells for its first visible row (not the "…" placeholder). */
async function waitForRows(page: Page): Promise<void> {
  // Polled inside the page on each animation frame (a string run over CDP: the page's CSP forbids eval).
  const ok = await page.evaluate<boolean>(`new Promise((resolve) => {
    const until = performance.now() + 30000;
    const check = () => {
      const row = document.querySelector('[data-testid="call-grid"] .rows [role="row"]');
      if (row && row.querySelectorAll('[role="gridcell"]').length > 1) return resolve(true);
      if (performance.now() > until) return resolve(false);
      requestAnimationFrame(check);
    };
    check();
  })`);
  if (!ok) throw new Error('the grid showed no rows within 30 s');
}

interface ScrollRun {
  frames: number[];
  /** Script + style + layout of one scroll step (the grid's own work, measured synchronously; paint excluded). */
  updates: number[];
  /** Main-thread work per animation frame that the browser reported as long (> 50 ms). */
  longFrames: number;
}

/**
 * Scrolls the grid once per animation frame and records the interval between frames. `mode` 'steady' moves a
 * fixed distance each frame (56 px = two rows a frame, a brisk wheel; 280 px = a fling); 'jump' lands on a random place in the million rows (dragging
 * the scrollbar), which makes the pager fetch a page by offset.
 */
function scroll(page: Page, mode: 'steady' | 'jump', frames: number, stepPx = 56): Promise<ScrollRun> {
  return page.evaluate<ScrollRun>(`(async () => {
    const grid = document.querySelector('[data-testid="call-grid"]');
    let longFrames = 0;
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration > 50) longFrames++; });
    try { observer.observe({ type: 'long-animation-frame', buffered: false }); } catch {}
    const out = [];
    const updates = [];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    await new Promise((r) => requestAnimationFrame(r));
    let last = performance.now();
    for (let i = 0; i < ${frames}; i++) {
      const t0 = performance.now();
      if (${JSON.stringify(mode)} === 'steady') grid.scrollTop += ${stepPx};
      else grid.scrollTop = Math.floor(random() * (grid.scrollHeight - grid.clientHeight));
      grid.dispatchEvent(new Event('scroll'));
      await Promise.resolve();
      grid.querySelector('.rows [role="row"]')?.getBoundingClientRect();
      updates.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      out.push(now - last);
      last = now;
    }
    observer.disconnect();
    return { frames: out, updates, longFrames };
  })()`);
}

/**
 * Memory of the page's renderer process, from /proc (Linux): proportional set size (PSS: private pages plus a
 * fair share of shared ones, so shared libraries are not counted in full), in MB. Every page here lives in one
 * context, so the largest renderer is ours.
 */
async function rendererPssMb(cdp: CDPSession): Promise<number | null> {
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    let largest = 0;
    for (const p of info.processInfo.filter((p) => p.type === 'renderer')) {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8'));
      largest = Math.max(largest, Number(m?.[1] ?? 0));
    }
    return largest ? round(largest / 1024) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  await ensureCache(dataDir, log);
  const ws = openWorkspace(dataDir);
  const total = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
  ws.close();
  ensureRendererBuilt();
  const preview = await startPreview(dataDir, { ...process.env });
  const browser = await launchChromium();
  try {
    // Cold loads: a fresh context each time (no cache, no storage).
    const paints: { fcp: number; rows: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      const page = await context.newPage();
      await page.goto(preview.url);
      await waitForRows(page);
      paints.push(
        await page.evaluate<{ fcp: number; rows: number }>(`({
          fcp: performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? -1,
          rows: performance.now(),
        })`),
      );
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(preview.url);
    await waitForRows(page);
    const shown = await page.getByTestId('total').textContent();
    log(`grid over ${total} calls (${shown?.trim()})`);

    // Frame pacing of this browser on this machine with nothing to do: the floor for the figures below.
    const idle = await page.evaluate<number[]>(`(async () => { const f = []; let last = performance.now(); for (let i = 0; i < 120; i++) { await new Promise((r) => requestAnimationFrame(r)); const t = performance.now(); f.push(t - last); last = t; } return f; })()`);
    const steady = await scroll(page, 'steady', 600);
    const fling = await scroll(page, 'steady', 200, 280);
    const jump = await scroll(page, 'jump', 120);
    await waitForRows(page);
    // How long a jump takes to show real rows (the page fetched by offset), measured after the scroll bench.
    const fill: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = Date.now();
      await page.evaluate(`(() => { const g = document.querySelector('[data-testid="call-grid"]'); g.scrollTop = Math.floor(((${i} * 7919) % 1000) / 1000 * (g.scrollHeight - g.clientHeight)); })()`);
      await page.waitForTimeout(20);
      await waitForRows(page);
      fill.push(Date.now() - t);
    }

    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.metrics.find((m) => m.name === name)?.value ?? NaN;
    const rss = await rendererPssMb(await browser.newBrowserCDPSession());

    const result = {
      calls: total,
      firstContentfulPaintMs: round(quantile(paints.map((p) => p.fcp), 0.5)),
      firstRowsMs: round(quantile(paints.map((p) => p.rows), 0.5)),
      idleFrames: { p50Ms: round(quantile(idle, 0.5)), p95Ms: round(quantile(idle, 0.95)) },
      steadyScroll: { updateP50Ms: round(quantile(steady.updates, 0.5), 2), updateP95Ms: round(quantile(steady.updates, 0.95), 2), frames: steady.frames.length, p50Ms: round(quantile(steady.frames, 0.5)), p95Ms: round(quantile(steady.frames, 0.95)), maxMs: round(Math.max(...steady.frames)), longFrames: steady.longFrames },
      flingScroll: { updateP50Ms: round(quantile(fling.updates, 0.5), 2), updateP95Ms: round(quantile(fling.updates, 0.95), 2), frames: fling.frames.length, p50Ms: round(quantile(fling.frames, 0.5)), p95Ms: round(quantile(fling.frames, 0.95)), maxMs: round(Math.max(...fling.frames)), longFrames: fling.longFrames },
      jumpScroll: { updateP50Ms: round(quantile(jump.updates, 0.5), 2), updateP95Ms: round(quantile(jump.updates, 0.95), 2), frames: jump.frames.length, p50Ms: round(quantile(jump.frames, 0.5)), p95Ms: round(quantile(jump.frames, 0.95)), maxMs: round(Math.max(...jump.frames)), longFrames: jump.longFrames },
      jumpToRowsMs: { p50: quantile(fill, 0.5), p95: quantile(fill, 0.95) },
      jsHeapUsedMb: round(metric('JSHeapUsedSize') / 1048576),
      jsHeapTotalMb: round(metric('JSHeapTotalSize') / 1048576),
      domNodes: metric('Nodes'),
      rendererPssMb: rss,
    };
    if (values.json) writeFileSync(values.json, JSON.stringify(result));
    console.log(`renderer over ${total.toLocaleString('en')} cached calls (Chromium headless, --disable-gpu)`);
    console.log(`  first contentful paint     ${result.firstContentfulPaintMs} ms (median of 3 cold loads)`);
    console.log(`  first page of calls shown  ${result.firstRowsMs} ms`);
    console.log(`  idle frames (baseline)     p50 ${result.idleFrames.p50Ms} ms, p95 ${result.idleFrames.p95Ms} ms`);
    console.log(`  steady (56 px/frame), ${result.steadyScroll.frames}  p50 ${result.steadyScroll.p50Ms} ms, p95 ${result.steadyScroll.p95Ms} ms, max ${result.steadyScroll.maxMs} ms, long frames ${result.steadyScroll.longFrames}`);
    console.log(`  fling (280 px/frame), ${result.flingScroll.frames} p50 ${result.flingScroll.p50Ms} ms, p95 ${result.flingScroll.p95Ms} ms, max ${result.flingScroll.maxMs} ms, long frames ${result.flingScroll.longFrames}`);
    console.log(`  scrollbar jumps, ${result.jumpScroll.frames} frames  p50 ${result.jumpScroll.p50Ms} ms, p95 ${result.jumpScroll.p95Ms} ms, max ${result.jumpScroll.maxMs} ms, long frames ${result.jumpScroll.longFrames}`);
    console.log(`  grid update per scroll step p50 ${result.steadyScroll.updateP50Ms} ms, p95 ${result.steadyScroll.updateP95Ms} ms (steady); p50 ${result.flingScroll.updateP50Ms} ms, p95 ${result.flingScroll.updateP95Ms} ms (fling); p50 ${result.jumpScroll.updateP50Ms} ms, p95 ${result.jumpScroll.updateP95Ms} ms (jumps)`);
    console.log(`  jump → real rows shown     p50 ${result.jumpToRowsMs.p50} ms, p95 ${result.jumpToRowsMs.p95} ms`);
    console.log(`  memory                     JS heap ${result.jsHeapUsedMb} MB used / ${result.jsHeapTotalMb} MB, renderer process PSS ${rss ?? 'n/a'} MB, ${result.domNodes} DOM nodes`);
    await context.close();
  } finally {
    await browser.close();
    await preview.stop();
  }
}

await main();
