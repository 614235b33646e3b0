// `cdr-desk sync [NAME...] [--from DATE] [--to DATE] [--ids FILE] [--json]` (CLI.md): every named account, or
// all; per-account counts; exit 1 when any account failed (what it fetched before failing stays cached).
import { parseArgs } from 'node:util';
import { UserError } from '../../data/errors.ts';
import { selectAccounts, syncAccounts, syncWindow, type AccountSyncResult, type SyncProgress } from '../../data/sync/engine.ts';
import { CaptureWriter } from '../../data/net/capture.ts';
import { PROVIDERS } from '../../shared/providers.ts';
import { printJson, UsageError, type Command, type CliIO } from '../command.ts';

const USAGE = 'cdr-desk sync [NAME...] [--from DATE] [--to DATE] [--ids FILE] [--capture DIR] [--json]';

const HELP = `${USAGE}

  NAME         accounts to sync (default: all)
  --from DATE  start of the window: YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (account's zone) or an ISO instant
  --to DATE    end of the window; a bare date includes that whole day
  --ids FILE   call ids (one a line, or a CSV/XLSX column) for ${Object.values(PROVIDERS)
    .filter((p) => p.listing === 'by-id')
    .map((p) => p.id)
    .join(', ')} accounts; remembered for later syncs
  --capture DIR  write every request and answer of this sync to DIR/<account>/, secrets redacted (for a
               support ticket; docs/providers/capture-and-replay.md)`;

/** The CLI.md JSON fields, in order, and nothing else. */
export function resultJson(r: AccountSyncResult) {
  return { name: r.name, fetched: r.fetched, inserted: r.inserted, updated: r.updated, notFound: r.notFound, complete: r.complete, error: r.error };
}

/** A one-line progress display on a terminal (stderr), redrawn at most ten times a second. */
export class ProgressLine {
  private readonly io: CliIO;
  private readonly state = new Map<string, SyncProgress>();
  private last = 0;
  private drawn = false;

  constructor(io: CliIO) {
    this.io = io;
  }

  update(p: SyncProgress): void {
    this.state.set(p.account, p);
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = 20;
    const parts = [...this.state.values()].map((s) => {
      const rate = s.rate !== null ? ` ${Math.round(s.rate).toLocaleString('en-US')}/s` : '';
      if (s.total) {
        const f = Math.min(1, s.done / s.total);
        const bar = '#'.repeat(Math.round(f * width)).padEnd(width, '.');
        const eta = s.etaSec !== null ? ` ETA ${formatEta(s.etaSec)}` : '';
        return `${s.account} [${bar}] ${Math.floor(f * 100)}%${rate}${eta}`;
      }
      return `${s.account} ${s.fetched.toLocaleString('en-US')} calls${rate}`;
    });
    const cols = process.stderr.columns || 120;
    let line = parts.join(' | ');
    if (line.length > cols - 1) line = line.slice(0, cols - 2) + '…';
    this.io.stderr(`\r\x1b[K${line}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.io.stderr('\r\x1b[K');
    this.drawn = false;
  }
}

function formatEta(sec: number): string {
  const s = Math.round(sec);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

export const syncCommand: Command = {
  usage: HELP,
  async run(ctx, args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { from: { type: 'string' }, to: { type: 'string' }, ids: { type: 'string' }, capture: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    try {
      syncWindow(values.from, values.to, 'UTC');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const ws = ctx.workspace();
    const accounts = selectAccounts(ws, positionals);
    if (accounts.length === 0) {
      throw new UserError('no accounts to sync yet: add one with `cdr-desk accounts add NAME --provider ID --base-url URL --secret KEY=VALUE`');
    }
    let ids: string[] | undefined;
    if (values.ids !== undefined) {
      const byId = accounts.filter((a) => PROVIDERS[a.provider].listing === 'by-id');
      if (byId.length === 0) {
        throw new UsageError(
          `--ids is for accounts whose provider reads calls by id (${Object.values(PROVIDERS).filter((p) => p.listing === 'by-id').map((p) => p.id).join(', ')}); none is selected`,
        );
      }
      const { readIdsFile } = await import('../../data/accounts/ids-import.ts'); // spreadsheet reader only when needed
      ids = await readIdsFile(values.ids);
    }

    let capture: CaptureWriter | undefined;
    if (values.capture !== undefined) {
      if (!values.capture) throw new UsageError('--capture takes a folder');
      capture = new CaptureWriter(values.capture);
      for (const a of accounts) capture.describe(a.name, { provider: a.provider, timezone: a.timezone, baseUrl: a.baseUrl });
    }

    const ac = new AbortController();
    const onSignal = () => ac.abort(new UserError('sync cancelled'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const bar = ctx.io.stderrIsTTY ? new ProgressLine(ctx.io) : null;
    let results: AccountSyncResult[];
    try {
      results = await syncAccounts(ws, {
        accounts: accounts.map((a) => a.name),
        from: values.from,
        to: values.to,
        ids,
        signal: ac.signal,
        onProgress: bar ? (p) => bar.update(p) : undefined,
        ...(capture ? { http: { capture } } : {}),
      });
    } finally {
      bar?.clear();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }

    if (ctx.json) printJson(ctx, { accounts: results.map(resultJson) });
    else {
      for (const r of results) {
        const counts = `${r.fetched} fetched, ${r.inserted} new, ${r.updated} updated${r.notFound ? `, ${r.notFound} ids not found` : ''}`;
        // The check's own line unless the error already says it (an incomplete sync's error is its shortfall).
        const check = r.error ? '' : `; ${r.verdict.status}: ${r.verdict.text}`;
        ctx.io.stdout(`${r.name}: ${r.error ? `failed after ${counts}` : counts}${check}\n`);
      }
    }
    for (const r of results) if (r.error) ctx.io.stderr(`cdr-desk: ${r.error}\n`);
    if (capture) {
      for (const r of results) ctx.io.stderr(`captured ${capture.count(r.name)} exchanges of account "${r.name}" in ${capture.folderOf(r.name)}\n`);
    }
    return results.some((r) => r.error) ? 1 : 0;
  },
};
