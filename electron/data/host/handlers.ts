// What the data host does for each channel it owns. Requests arrive already validated against the contract;
// responses are validated again by the dispatcher. Main-only channels (dialogs, shell) are absent here.
import { findAlerts } from '../alerts/alerts.ts';
import type { AppInfo, Channel, EventName, EventPayload, Response } from '../../shared/contract.ts';
import { CHANNELS } from '../../shared/contract.ts';
import { toView } from '../accounts/accounts.ts';
import { UserError } from '../errors.ts';
import { exportCalls } from '../export/run.ts';
import { parseIdsText, readIdsFile } from '../accounts/ids-import.ts';
import { checkInvoice } from '../costs/invoice.ts';
import { ratesCsv, readRatesFile, readRatesText } from '../costs/rate-file.ts';
import { clearRates, importRates, rateCardView, setBilling } from '../costs/store.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../search/saved.ts';
import { startDemo, type DemoSession } from '../demo/demo.ts';
import { accountCoverage } from '../sync/coverage.ts';
import { syncAccounts, testConnection, type AccountSyncResult, type SyncOptions } from '../sync/engine.ts';
import type { Workspace } from '../workspace.ts';
import type { AutoSyncRunner } from './auto-sync-runner.ts';
import type { FileGrants } from './file-grants.ts';
import type { JobOutcome, Jobs } from './jobs.ts';
import type { Reader } from './reader.ts';
import type { SyncWriter } from '../sync/writer.ts';
import { readSettings, writeSettings } from './settings.ts';

export interface HandlerContext {
  ws: Workspace;
  jobs: Jobs;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** What the shell around the host tells it about itself (version, shell kind, secret-store warning). */
  info: Pick<AppInfo, 'name' | 'version' | 'shell' | 'secretWarning'>;
  /** The running demo's simulators (kept up so the demo accounts can sync again), closed with the host. */
  demo: DemoSession | null;
  /** Where the read channels run: off the message thread when the cache is a file (host/reader.ts). */
  reads: Reader;
  /**
   * The one committer of every sync this host runs, for its whole life (sync/writer.ts). Its `path` is the host's
   * one write path: every handler that writes does so through `write` below, never on `ws.db` directly.
   */
  writer: SyncWriter;
  /** Files the shell let the user pick: export.start and ids.import redeem a handle here, never a path. */
  files: FileGrants;
  /** Lower-cased names of the accounts a sync job runs for: one sync of an account at a time. */
  syncing: Set<string>;
  /** The automatic sync, started with the host and stopped with it. */
  autoSync: AutoSyncRunner;
}

type Parsed<C extends Channel> = import('zod').output<(typeof CHANNELS)[C]['request']>;
type Handler<C extends Channel> = (req: Parsed<C>, ctx: HandlerContext) => Promise<Response<C>> | Response<C>;
export type HostChannel = { [C in Channel]: (typeof CHANNELS)[C]['handledBy'] extends 'host' ? C : never }[Channel];
export type Handlers = { [C in HostChannel]: Handler<C> };

/** A write of a handler, in its turn on the host's one write path (db/write-path.ts). */
function write<T>(ctx: HandlerContext, fn: () => T | Promise<T>): Promise<T> {
  return ctx.writer.path.write(fn);
}

function viewOf(ws: Workspace, name: string) {
  const views = ws.accounts.views();
  const lower = name.toLowerCase();
  const view = views.find((v) => v.name.toLowerCase() === lower);
  if (!view) throw new UserError('no such account', name);
  return view;
}

/**
 * A sync as a job: progress events while it runs; it fails (with every account's error) if any account failed.
 * Accounts already syncing are refused when named, and left out of a sync of all; `done` gives the results.
 */
export function startSync(
  ctx: HandlerContext,
  opts: Omit<SyncOptions, 'signal' | 'onProgress'>,
): { jobId: string; done: Promise<AccountSyncResult[] | null> } {
  const busy = (name: string) => ctx.syncing.has(name.toLowerCase());
  for (const name of opts.accounts ?? []) if (busy(name)) throw new UserError('a sync of this account is already running', name);
  const names = opts.accounts ?? ctx.ws.accounts.all().map((a) => a.name).filter((n) => !busy(n));
  if (!opts.accounts && ctx.ws.accounts.all().length && !names.length) throw new UserError('a sync of every account is already running');
  const keys = names.map((n) => n.toLowerCase());
  for (const k of keys) ctx.syncing.add(k);
  let settle: (r: AccountSyncResult[] | null) => void = () => {};
  const done = new Promise<AccountSyncResult[] | null>((resolve) => (settle = resolve));
  const jobId = ctx.jobs.start('sync', async ({ jobId, signal }): Promise<JobOutcome> => {
    try {
      const accounts = await syncAccounts(ctx.ws, {
        ...opts,
        committer: ctx.writer,
        accounts: opts.accounts ?? (names.length ? names : undefined),
        signal,
        onProgress: (p) => ctx.emit('sync.progress', { jobId, ...p }),
      });
      settle(accounts);
      const failed = accounts.filter((a) => a.error).map((a) => a.error);
      return { result: { accounts }, error: failed.length ? failed.join('; ') : null };
    } catch (err) {
      settle(null);
      throw err;
    } finally {
      for (const k of keys) ctx.syncing.delete(k);
      ctx.autoSync.wake();
    }
  });
  return { jobId, done };
}

export const HANDLERS: Handlers = {
  'accounts.list': (_req, { ws }) => ws.accounts.views(),
  'accounts.add': async (req, ctx) => {
    const row = await write(ctx, () => ctx.ws.accounts.add(req));
    ctx.autoSync.wake();
    return toView(row, 0);
  },
  'accounts.edit': async (req, ctx) => {
    const row = await write(ctx, () => ctx.ws.accounts.edit(req.name, req.patch));
    ctx.autoSync.wake();
    return viewOf(ctx.ws, row.name);
  },
  'accounts.remove': async (req, ctx) => {
    await write(ctx, () => ctx.ws.accounts.remove(req.name));
    return null;
  },
  'accounts.test': (req, { ws }) => testConnection(ws, req.name),
  'accounts.coverage': (req, { ws }) => accountCoverage(ws, req.name, { from: req.from, to: req.to }),
  'sync.start': (req, ctx) => {
    // Unknown names and bad windows are refused now, as the call's error, not later as a failed job.
    for (const name of req.accounts ?? []) ctx.ws.accounts.get(name);
    return { jobId: startSync(ctx, { accounts: req.accounts, from: req.from, to: req.to }).jobId };
  },
  'sync.cancel': (req, { jobs }) => {
    jobs.cancel(req.jobId, 'sync');
    return null;
  },
  'sync.auto.status': (_req, { autoSync }) => autoSync.status(),
  'sync.auto.online': (req, { autoSync }) => {
    autoSync.setOnline(req.online);
    return null;
  },
  'ids.import': async (req, ctx) => {
    const account = ctx.ws.accounts.get(req.account);
    const ids = req.file !== undefined ? await readIdsFile(ctx.files.redeem(req.file, 'read', account.name)) : parseIdsText(req.text ?? '');
    if (!ids.length) throw new UserError('no call ids found in what was given', account.name);
    return { jobId: startSync(ctx, { accounts: [account.name], ids }).jobId };
  },
  'search.query': (req, { reads }) => reads.run('search.query', req) as Promise<Response<'search.query'>>,
  'search.saved.list': (_req, { ws }) => listSavedSearches(ws),
  'search.saved.save': (req, ctx) => write(ctx, () => saveSearch(ctx.ws, req)),
  'search.saved.delete': async (req, ctx) => {
    await write(ctx, () => deleteSavedSearch(ctx.ws, req.name));
    return null;
  },
  'summary.get': (req, { reads }) => reads.run('summary.get', req) as Promise<Response<'summary.get'>>,
  'summary.matrix': (req, { reads }) => reads.run('summary.matrix', req) as Promise<Response<'summary.matrix'>>,
  'summary.compare': (req, { reads }) => reads.run('summary.compare', req) as Promise<Response<'summary.compare'>>,
  'summary.providerReported': (req, { reads }) => reads.run('summary.providerReported', req) as Promise<Response<'summary.providerReported'>>,
  'rates.get': (req, { ws }) => rateCardView(ws.db, req.account),
  'rates.billing': (req, ctx) => write(ctx, () => setBilling(ctx.ws.db, req.account, req.patch)),
  'rates.import': async (req, ctx) => {
    const { ws, files } = ctx;
    const name = rateCardView(ws.db, req.account).account;
    const path = req.file !== undefined ? files.redeem(req.file, 'read', name) : undefined;
    const rates = path !== undefined ? await readRatesFile(path, name) : readRatesText(req.text ?? '', name);
    const imported = await write(ctx, () => importRates(ws.db, name, rates, { replace: req.replace, source: path ?? 'pasted text' }));
    return { imported, card: rateCardView(ws.db, name) };
  },
  'rates.clear': async (req, ctx) => {
    await write(ctx, () => clearRates(ctx.ws.db, req.account));
    return rateCardView(ctx.ws.db, req.account);
  },
  'rates.csv': (req, { ws }) => ({ csv: ratesCsv(rateCardView(ws.db, req.account)) }),
  'rates.checkInvoice': (req, { ws }) => checkInvoice(ws.db, req),
  'alerts.list': (req, { ws }) => ({ alerts: findAlerts(ws, req) }),
  'export.start': (req, ctx) => {
    const account = ctx.ws.accounts.get(req.account);
    const out = ctx.files.redeem(req.out, 'write', account.name);
    const jobId = ctx.jobs.start('export', async ({ jobId, signal }): Promise<JobOutcome> => {
      // The path comes from a save dialog, which already asked about replacing an existing file.
      const r = await exportCalls(ctx.ws, {
        ...req,
        out,
        overwrite: true,
        signal,
        onProgress: (p) => ctx.emit('export.progress', { jobId, done: p.rows, total: p.total ?? null }),
      });
      return { result: r, error: null };
    });
    return { jobId };
  },
  'export.cancel': (req, { jobs }) => {
    jobs.cancel(req.jobId, 'export');
    return null;
  },
  'demo.start': async (_req, ctx) => {
    await ctx.demo?.close();
    ctx.demo = null;
    ctx.demo = await startDemo(ctx.ws, { committer: ctx.writer });
    return { accounts: ctx.demo.accounts.map((a) => a.name) };
  },
  'settings.get': (_req, { ws }) => readSettings(ws.dataDir),
  'settings.set': (req, { ws }) => writeSettings(ws.dataDir, req),
  'app.info': (_req, { ws, info }) => ({
    ...info,
    platform: process.platform,
    dataDir: ws.dataDir,
    secretStore: ws.secrets.description,
  }),
};

