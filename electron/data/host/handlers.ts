// What the data host does for each channel it owns. Requests arrive already validated against the contract;
// responses are validated again by the dispatcher. Main-only channels (dialogs, shell) are absent here.
import type { AppInfo, Channel, EventName, EventPayload, Response } from '../../shared/contract.ts';
import { CHANNELS } from '../../shared/contract.ts';
import { toView } from '../accounts.ts';
import { UserError } from '../errors.ts';
import type { Workspace } from '../workspace.ts';
import type { Jobs } from './jobs.ts';
import { readSettings, writeSettings } from './settings.ts';

export interface HandlerContext {
  ws: Workspace;
  jobs: Jobs;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** What the shell around the host tells it about itself (version, shell kind, secret-store warning). */
  info: Pick<AppInfo, 'name' | 'version' | 'shell' | 'secretWarning'>;
}

type Parsed<C extends Channel> = import('zod').output<(typeof CHANNELS)[C]['request']>;
type Handler<C extends Channel> = (req: Parsed<C>, ctx: HandlerContext) => Promise<Response<C>> | Response<C>;
export type HostChannel = { [C in Channel]: (typeof CHANNELS)[C]['handledBy'] extends 'host' ? C : never }[Channel];
export type Handlers = { [C in HostChannel]: Handler<C> };

function viewOf(ws: Workspace, name: string) {
  const views = ws.accounts.views();
  const lower = name.toLowerCase();
  const view = views.find((v) => v.name.toLowerCase() === lower);
  if (!view) throw new UserError('no such account', name);
  return view;
}

/** A channel whose data-layer function has not landed in this build: a clear answer, never a fake result. */
function notYet(channel: string) {
  return (): never => {
    throw new Error(`"${channel}" is not available in this build yet`);
  };
}

export const HANDLERS: Handlers = {
  'accounts.list': (_req, { ws }) => ws.accounts.views(),
  'accounts.add': async (req, { ws }) => {
    const row = await ws.accounts.add(req);
    return toView(row, 0);
  },
  'accounts.edit': async (req, { ws }) => {
    const row = await ws.accounts.edit(req.name, req.patch);
    return viewOf(ws, row.name);
  },
  'accounts.remove': async (req, { ws }) => {
    await ws.accounts.remove(req.name);
    return null;
  },
  'accounts.test': notYet('accounts.test'),
  'sync.start': notYet('sync.start'),
  'sync.cancel': (req, { jobs }) => {
    jobs.cancel(req.jobId, 'sync');
    return null;
  },
  'ids.import': notYet('ids.import'),
  'search.query': notYet('search.query'),
  'search.saved.list': notYet('search.saved.list'),
  'search.saved.save': notYet('search.saved.save'),
  'search.saved.delete': notYet('search.saved.delete'),
  'summary.get': notYet('summary.get'),
  'summary.matrix': notYet('summary.matrix'),
  'summary.compare': notYet('summary.compare'),
  'summary.providerReported': notYet('summary.providerReported'),
  'export.start': notYet('export.start'),
  'export.cancel': (req, { jobs }) => {
    jobs.cancel(req.jobId, 'export');
    return null;
  },
  'demo.start': notYet('demo.start'),
  'settings.get': (_req, { ws }) => readSettings(ws.dataDir),
  'settings.set': (req, { ws }) => writeSettings(ws.dataDir, req),
  'app.info': (_req, { ws, info }) => ({
    ...info,
    platform: process.platform,
    dataDir: ws.dataDir,
    secretStore: ws.secrets.description,
  }),
};

