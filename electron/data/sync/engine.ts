// The sync engine: for each account, ask its adapter for pages and commit them (rows, cursor, campaigns, campaign
// reports, leads, remembered ids, run counters) in SQLite transactions, each holding whole pages and the cursor
// of the last one. A transaction per 100-row page rewrote every index page it touched at each commit; pages are
// now committed together once they hold BATCH_ROWS calls or the oldest has waited BATCH_WAIT_MS. A crash at any
// point loses only pages not yet committed; a re-run resumes from the last committed cursor, and idempotent
// upserts on (account, call id) mean nothing is duplicated. One account's failure never stops another's.
//
// Cursors live in sync_state per (account, stream). The stream is 'default' for a sync without --from/--to and
// `window:<from>..<to>` for an explicit window, so a one-off backfill of a past month neither moves nor is
// confused by the incremental cursor of the regular syncs.
import { describeError, UserError } from '../errors.ts';
import { HttpClient, type HttpOptions } from '../net/http.ts';
import { adapterFor } from '../providers/adapters.ts';
import type { AdapterContext, SyncPage, SyncWindow } from '../providers/types.ts';
import type { AccountRow } from '../accounts/accounts.ts';
import { indexTail } from '../search/tail.ts';
import { parseTimeWindow, resolveWindow } from '../search/time-window.ts';
import { AccountStore, commitPageOf, type CommitPage } from './store.ts';
import { BATCH_ROWS, BATCH_WAIT_MS, CommitQueue, TIMED_OUT } from './queue.ts';
import { SyncWriter, THREAD_AFTER_ROWS, type WriterMode } from './writer.ts';
import { judgeSync, stoppedVerdict, SyncTally } from './verdict.ts';
import type { SyncVerdict } from '../../shared/coverage.ts';
import type { Workspace } from '../workspace.ts';

export interface SyncProgress {
  account: string;
  /** Units done and expected (the adapter's unit: rows, pages or ids); total null when unknown. */
  done: number;
  total: number | null;
  fetched: number;
  inserted: number;
  updated: number;
  /** Calls per second over the last few seconds. */
  rate: number | null;
  /** Seconds left when the total is known. */
  etaSec: number | null;
}

export interface SyncOptions {
  /** Account names (default: all). An unknown name is a UserError before anything runs. */
  accounts?: readonly string[];
  /** Window bounds: a date, a local date-time (in each account's zone) or an ISO instant with Z/offset. */
  from?: string;
  to?: string;
  /** Call ids to read, for providers that read calls only by id; remembered for later syncs. */
  ids?: readonly string[];
  /** Ids for particular accounts (by name), added to `ids` for that account (the demo gives each its own). */
  idsByAccount?: Readonly<Record<string, readonly string[]>>;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Overrides for each account's HttpClient (tests shrink backoffs). */
  http?: Partial<Omit<HttpOptions, 'account' | 'baseUrl' | 'secrets'>>;
  /** How many accounts sync at once (default 3). */
  concurrency?: number;
  /** Pages are committed together once they hold this many calls (default BATCH_ROWS; 1 = every page alone). */
  batchRows?: number;
  /** ... or once the oldest uncommitted page has waited this long (default BATCH_WAIT_MS). */
  batchWaitMs?: number;
  /** Where commits run (sync/writer.ts): 'auto' (default) moves a large sync's commits to the writer thread. */
  writer?: WriterMode;
  /**
   * A committer that outlives this call (the data host keeps one for its whole life, so all its syncs write
   * through one writer); the call then neither makes nor closes its own. `writer` is ignored with it. Every write
   * of the sync (commits, run start and end, remembered ids) takes its turn on the committer's write path.
   */
  committer?: SyncWriter;
}


export interface AccountSyncResult {
  name: string;
  fetched: number;
  inserted: number;
  updated: number;
  notFound: number;
  error: string | null;
  /** True when the sync stopped because it was cancelled (error says so too). */
  cancelled?: boolean;
  /**
   * The sync's own check (sync/verdict.ts): true when everything stored is accounted for by the provider's claims,
   * false when something is missing or the sync stopped (then `error` says what), null when unverified.
   */
  complete: boolean | null;
  verdict: SyncVerdict;
}

/** The CLI.md `complete` field of a verdict. */
export function completeOf(v: SyncVerdict): boolean | null {
  return v.status === 'complete' ? true : v.status === 'incomplete' ? false : null;
}

// ---- the window

/**
 * The user's --from/--to (a date, a local date-time in the account's zone, or an ISO instant; a bare date as `to`
 * covers that whole day), as the inclusive epoch-ms window adapters get. Same grammar as search (search/time-window).
 */
export function syncWindow(from: string | undefined, to: string | undefined, zone: string, account?: string): SyncWindow {
  try {
    const w = resolveWindow(parseTimeWindow(from, to), zone);
    return { from: w.from, to: w.to === null ? null : w.to - 1 };
  } catch (err) {
    throw new UserError(describeError(err), account);
  }
}

function streamOf(w: SyncWindow): string {
  return w.from === null && w.to === null ? 'default' : `window:${w.from ?? ''}..${w.to ?? ''}`;
}

// ---- progress

class RateMeter {
  private samples: { t: number; n: number }[] = [];
  add(t: number, n: number): number | null {
    this.samples.push({ t, n });
    while (this.samples.length > 2 && t - this.samples[0]!.t > 5000) this.samples.shift();
    const first = this.samples[0]!;
    const dt = (t - first.t) / 1000;
    if (this.samples.length < 2 || dt <= 0) return null;
    return (n - first.n) / dt;
  }
}

/** One progress event, after a page is committed. */
function progressOf(account: string, page: Pick<SyncPage, 'progress'>, result: AccountSyncResult, rate: number | null): SyncProgress {
  const done = page.progress?.done ?? result.fetched;
  const total = page.progress?.total ?? null;
  const unitRate = page.progress && rate !== null && result.fetched > 0 ? rate * (done / result.fetched) : rate;
  const etaSec = total !== null && unitRate ? Math.max(0, (total - done) / unitRate) : total !== null && done >= total ? 0 : null;
  return { account, done, total, fetched: result.fetched, inserted: result.inserted, updated: result.updated, rate, etaSec };
}

// ---- one account

function cancelledError(account: string): UserError {
  return new UserError('sync cancelled', account);
}

async function syncOne(ws: Workspace, account: AccountRow, opts: SyncOptions, store: AccountStore, writer: SyncWriter): Promise<AccountSyncResult> {
  const result: AccountSyncResult = {
    name: account.name, fetched: 0, inserted: 0, updated: 0, notFound: 0, error: null,
    complete: false, verdict: stoppedVerdict('it did not start'), // replaced by the verdict or the error
  };
  const startedAt = Date.now();
  let runId: number | null = null;
  let covered: ReturnType<typeof coveredRange> = null;
  let http: HttpClient | null = null;
  const signal = opts.signal ?? new AbortController().signal;
  // The adapter's own signal: follows the caller's, and is also aborted when this account stops for any reason,
  // so requests an adapter still has in flight (prefetched pages, concurrent ids) end at once.
  const inner = new AbortController();
  let queue: CommitQueue | null = null;
  const follow = () => inner.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  try {
    const window = syncWindow(opts.from, opts.to, account.timezone, account.name);
    const stream = streamOf(window);
    runId = await writer.path.write(() => store.startRun(account.id, startedAt, window));
    const adapter = adapterFor(account.provider);
    const secrets = await ws.accounts.secretsOf(account);
    http = new HttpClient({ concurrency: adapter.descriptor.limits.concurrency, ...opts.http, account: account.name, baseUrl: account.baseUrl, secrets: Object.values(secrets) });
    const byId = adapter.descriptor.listing === 'by-id';
    const given = [...(opts.ids ?? []), ...(opts.idsByAccount?.[account.name] ?? [])];
    const ids = byId ? await writer.path.write(() => store.rememberIds(account.id, given, startedAt)) : [];
    const tally = new SyncTally(byId ? ids : null);
    const ctx: AdapterContext = {
      account: { name: account.name, baseUrl: account.baseUrl, timezone: account.timezone },
      secrets,
      http,
      window,
      cursor: store.cursor(account.id, stream),
      ids,
      signal: inner.signal,
    };
    if (!byId) covered = coveredRange(store, account.id, runId, window, ctx.cursor !== null, startedAt);
    // A first listing sync (no cursor) reads the provider's whole history or a whole window, and a by-id sync with
    // more ids pending than a small sync fetches says it is large: the writer thread loads while the first request
    // is in flight and takes every commit from then on, so that no commit blocks the fetching on this thread.
    if (byId ? ids.length > THREAD_AFTER_ROWS : ctx.cursor === null) writer.startThread();
    const meter = new RateMeter();
    meter.add(startedAt, 0);
    if (signal.aborted) throw cancelledError(account.name);
    /** One transaction of whole pages; then their counts and progress, page by page. */
    const commit = async (pages: CommitPage[]) => {
      const before = { fetched: result.fetched, inserted: result.inserted, updated: result.updated, notFound: result.notFound };
      const counts = await writer.commit({ accountId: account.id, stream, runId: runId!, pages, before, window, runAt: startedAt, byId });
      pages.forEach((page, i) => {
        tally.add(page);
        result.fetched += page.rows.length;
        result.inserted += counts[i]!.inserted;
        result.updated += counts[i]!.updated;
        result.notFound += page.notFound?.length ?? 0;
        opts.onProgress?.(progressOf(account.name, page, result, meter.add(Date.now(), result.fetched)));
      });
    };
    const q = (queue = new CommitQueue(opts.batchRows ?? BATCH_ROWS, opts.batchWaitMs ?? BATCH_WAIT_MS, commit, () => signal.aborted));
    const pages = adapter.pages(ctx)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = pages.next();
        next.catch(() => undefined); // it may be left pending when a commit fails; its failure then is moot
        let step = await q.within(next);
        if (step === TIMED_OUT) {
          q.pump();
          step = await next;
        }
        q.throwIfFailed();
        if (step.done) break;
        if (signal.aborted) throw cancelledError(account.name);
        await q.add(commitPageOf(step.value));
        if (signal.aborted) throw cancelledError(account.name);
      }
      await q.drain();
      if (signal.aborted) throw cancelledError(account.name);
      const verdict = judgeSync(tally.facts());
      result.verdict = { ...verdict, text: http.redact(verdict.text) };
      result.complete = completeOf(result.verdict);
      // A shortfall is this account's failure: named, counted as failed, and what was fetched stays cached.
      if (result.complete === false) result.error = describeError(new UserError(`sync incomplete: ${result.verdict.text}`, account.name));
    } finally {
      inner.abort(new Error('account sync finished'));
      pages.return?.().catch(() => undefined);
    }
  } catch (err) {
    // Pages fetched before a failure are sound: keep them, with their cursor (unless a commit failed: pages after
    // it must not move the cursor past calls not stored). A cancel stops at the commit running: the pages waiting
    // are fetched again next time.
    try {
      await (signal.aborted ? queue?.settle() : queue?.drain());
    } catch {
      // the commit itself failed: the first error says why
    }
    if (signal.aborted) {
      result.cancelled = true;
      result.error = describeError(cancelledError(account.name));
    } else {
      const msg = describeError(err);
      result.error = msg.includes(`account "${account.name}"`) ? msg : describeError(new UserError(msg, account.name));
      if (http) result.error = http.redact(result.error);
    }
    result.verdict = stoppedVerdict(result.error.replace(`account "${account.name}": `, ''));
    result.complete = false;
  } finally {
    signal.removeEventListener('abort', follow);
    if (!inner.signal.aborted) inner.abort(new Error('account sync finished'));
    await http?.close().catch(() => undefined);
  }
  const finishedAt = Date.now();
  await writer.path.write(() => {
    if (runId !== null) store.endRun(runId, finishedAt, result, covered);
    ws.accounts.recordSync(account.id, finishedAt, result.error, result.verdict);
  });
  return result;
}

/**
 * The time range a listing sync covers, half-open: an explicit window as given (never past the sync's start);
 * a regular sync from its cursor (taken, to be safe, as where the previous regular sync started) or from the
 * provider's beginning when there is no cursor yet, up to its own start.
 */
function coveredRange(store: AccountStore, accountId: number, runId: number, w: SyncWindow, hasCursor: boolean, startedAt: number) {
  let range: { from: number | null; to: number };
  if (w.from !== null || w.to !== null) range = { from: w.from, to: Math.min(w.to === null ? startedAt : w.to + 1, startedAt) };
  // A cursor with no earlier regular run on record (runs cleared): where it started is unknown, claim nothing.
  else range = { from: hasCursor ? (store.previousRegularStart(accountId, runId) ?? startedAt) : null, to: startedAt };
  return range.from !== null && range.from >= range.to ? null : range; // a window wholly in the future covers nothing yet
}

/** Resolves the named accounts (all by default); an unknown name fails before anything is fetched. */
export function selectAccounts(ws: Workspace, names?: readonly string[]): AccountRow[] {
  if (!names || names.length === 0) return ws.accounts.all();
  const seen = new Set<number>();
  const out: AccountRow[] = [];
  for (const n of names) {
    const a = ws.accounts.get(n);
    if (!seen.has(a.id)) out.push(a);
    seen.add(a.id);
  }
  return out;
}

/** Syncs every selected account (a few at a time) and reports per account; never throws for one account's failure. */
export async function syncAccounts(ws: Workspace, opts: SyncOptions = {}): Promise<AccountSyncResult[]> {
  const accounts = selectAccounts(ws, opts.accounts);
  // Validate the window once up front with each account's zone, so a typo fails fast and clearly.
  for (const a of accounts) syncWindow(opts.from, opts.to, a.timezone, a.name);
  const store = new AccountStore(ws.db);
  const writer = opts.committer ?? new SyncWriter(ws.db, store, opts.writer);
  const results: AccountSyncResult[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= accounts.length) return;
      results[i] = await syncOne(ws, accounts[i]!, opts, store, writer);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 3, accounts.length));
  try {
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    if (!opts.committer) await writer.close();
    // The sync has ended: its search tail (a large sync's calls, search/tail.ts) is indexed now, in bulk, in a
    // turn on the write path (the data host's connection is read-only outside one). Should that fail (the cache
    // busy), the tail stays searchable and the next open or sync indexes it.
    await writer.path.write(() => indexTail(ws.db)).catch(() => undefined);
  }
  return results;
}

/** One cheap authenticated request: ok, or a one-line message naming the account and the cause. */
export async function testConnection(
  ws: Workspace,
  name: string,
  http?: SyncOptions['http'],
  signal?: AbortSignal,
): Promise<{ ok: boolean; message: string }> {
  const account = ws.accounts.get(name);
  let client: HttpClient | null = null;
  try {
    const adapter = adapterFor(account.provider);
    const secrets = await ws.accounts.secretsOf(account);
    client = new HttpClient({ retries: 1, concurrency: adapter.descriptor.limits.concurrency, ...http, account: account.name, baseUrl: account.baseUrl, secrets: Object.values(secrets) });
    await adapter.testConnection({
      account: { name: account.name, baseUrl: account.baseUrl, timezone: account.timezone },
      secrets,
      http: client,
      window: { from: null, to: null },
      cursor: null,
      ids: [],
      signal: signal ?? new AbortController().signal,
    });
    return { ok: true, message: `account "${account.name}": connected` };
  } catch (err) {
    const msg = describeError(err);
    const line = msg.includes(`account "${account.name}"`) ? msg : describeError(new UserError(msg, account.name));
    return { ok: false, message: client ? client.redact(line) : line };
  } finally {
    await client?.close().catch(() => undefined);
  }
}
