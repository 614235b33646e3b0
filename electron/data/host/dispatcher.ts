// One entry point for every call into the data layer, whatever carried it (Electron IPC via the utility process,
// preview's HTTP bridge, tests): validate the request against the contract, run the handler, validate the
// response, and answer {ok, result} or {ok:false, error} with a one-line message. Never throws.
import { CHANNELS, describeIssues, EVENTS, isChannel, type AppInfo, type Channel, type EventName } from '../../shared/contract.ts';
import { describeError } from '../errors.ts';
import type { Workspace } from '../workspace.ts';
import { AutoSyncRunner } from './auto-sync-runner.ts';
import { HANDLERS, startSync, type HandlerContext, type HostChannel } from './handlers.ts';
import { FileGrants } from './file-grants.ts';
import { Jobs } from './jobs.ts';
import { createReader, type ReaderMode } from './reader.ts';
import { AccountStore } from '../sync/store.ts';
import { SyncWriter, type WriterMode } from '../sync/writer.ts';
import { WritePath } from '../db/write-path.ts';

export type Reply = { ok: true; result: unknown } | { ok: false; error: string };

/** A channel the host does not own (dialogs, shell): the shell around it may answer it (preview does). */
export type ExtraHandler = (channel: Channel, request: unknown) => Promise<unknown>;

export interface DispatcherOptions {
  /** Receives every event after validation; default: dropped. */
  emit?: (event: EventName, payload: unknown) => void;
  info?: Partial<HandlerContext['info']>;
  /** Answers the main-only channels where there is no Electron main (preview); absent = refused. */
  extra?: ExtraHandler;
  /** Where internal faults are reported (a response that breaks the contract is our bug, not the user's). */
  log?: (line: string) => void;
  /** Read channels on the read thread (default) or in line on the host's connection. */
  reads?: ReaderMode;
  /** The automatic sync's clock (tests); default Date.now. */
  now?: () => number;
  /** Where the host's one sync committer commits (default 'auto': a large sync moves to its writer thread). */
  writer?: WriterMode;
}

export interface Dispatcher {
  dispatch(channel: unknown, payload: unknown): Promise<Reply>;
  jobs: Jobs;
  /** One-use file handles; the shell grants them (main over the port, preview directly). */
  files: FileGrants;
  /**
   * The committer every sync of this host writes through, for its whole life (tests look at its thread); its
   * `path` is the host's one write path, which every other write of the host takes too (db/write-path.ts).
   */
  writer: SyncWriter;
  /** Cancels running jobs, waits for them, and stops the demo's simulators. */
  close(): Promise<void>;
}

export function createDispatcher(ws: Workspace, options: DispatcherOptions = {}): Dispatcher {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const emit: HandlerContext['emit'] = (event, payload) => {
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      log(`data host: dropped ${event} event breaking the contract: ${describeIssues(parsed.error)}`);
      return;
    }
    options.emit?.(event, parsed.data);
  };
  const jobs = new Jobs(emit);
  const syncing = new Set<string>();
  // Automatic syncs go through the user's sync path, so they share its events, verdicts and one-at-a-time rule.
  const autoSync = new AutoSyncRunner({
    ws,
    now: options.now,
    log,
    busy: (name) => syncing.has(name.toLowerCase()),
    sync: async (name) => {
      const [result] = (await startSync(ctx, { accounts: [name] }).done) ?? [];
      return !result || result.error ? 'failed' : result.verdict.status;
    },
  });
  const ctx: HandlerContext = {
    ws,
    jobs,
    emit,
    info: { name: 'CDR Desk', version: '0.0.0', shell: 'electron', secretWarning: null, ...options.info },
    demo: null,
    reads: createReader(ws.db, options.reads),
    writer: new SyncWriter(ws.db, new AccountStore(ws.db), options.writer, new WritePath(ws.db, { guard: true })),
    files: new FileGrants(),
    syncing,
    autoSync,
  };
  autoSync.start();

  async function dispatch(channel: unknown, payload: unknown): Promise<Reply> {
    if (!isChannel(channel)) return { ok: false, error: `unknown channel "${String(channel).slice(0, 80)}"` };
    const spec = CHANNELS[channel];
    const request = spec.request.safeParse(payload ?? {});
    if (!request.success) return { ok: false, error: `${channel}: invalid request: ${describeIssues(request.error)}` };

    let result: unknown;
    try {
      if (spec.handledBy === 'host') {
        const handler = HANDLERS[channel as HostChannel] as (req: unknown, ctx: HandlerContext) => unknown;
        result = await handler(request.data, ctx);
      } else if (options.extra) {
        result = await options.extra(channel, request.data);
      } else {
        return { ok: false, error: `${channel} is handled by the app window, not the data host` };
      }
    } catch (err) {
      return { ok: false, error: describeError(err) };
    }

    const response = spec.response.safeParse(result);
    if (!response.success) {
      log(`data host: ${channel} returned a response breaking the contract: ${describeIssues(response.error)}`);
      return { ok: false, error: `${channel}: internal error (the answer did not match the contract)` };
    }
    return { ok: true, result: response.data };
  }

  async function close(): Promise<void> {
    ctx.autoSync.stop();
    jobs.cancelAll();
    await jobs.idle();
    await ctx.demo?.close();
    ctx.demo = null;
    await ctx.reads.close();
    await ctx.writer.close();
    ctx.writer.path.close();
  }

  return { dispatch, jobs, files: ctx.files, writer: ctx.writer, close };
}
