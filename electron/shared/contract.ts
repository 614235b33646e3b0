// The one IPC contract: every call the renderer can make (channel → request and response schemas) and every
// event it can receive. The preload builds window.api from these keys, main and the data host validate each
// hop against them, and `cdr-desk preview` bridges the same channels over HTTP. No Node, DOM or Electron here.
//
// window.api shape (generated, see apiPaths): `api.accounts.list({})`, `api.search.saved.save({...})`, ...
// each returns a Promise of the response (rejects with an Error whose message is one line for the user);
// `api.on('sync.progress', (e) => ...)` subscribes to an event and returns an unsubscribe function.
import { z } from 'zod';
import { AccountInput, AccountName, AccountPatch, AccountView } from './account.ts';
import { Alert } from './alerts.ts';
import { AutoSyncStatus } from './auto-sync.ts';
import { BillingPatch, InvoiceCheck, InvoiceCheckRequest, RateCardView } from './costs.ts';
import { CoverageDays, CoverageResponse } from './coverage.ts';
import { SearchFilter, SortSpec } from './filter.ts';
import {
  CompareRequest, CompareResponse, HourWeekdayRequest, HourWeekdayResponse, ProviderReportedRequest, ProviderReportedResponse,
  SavedSearch, SavedSearchInput, SearchRequest, SearchResponse, SummaryBy, SummaryRequest, SummaryResponse, SummaryRow,
} from './search.ts';

const Empty = z.object({}).strict();
const Nothing = z.null();
const JobId = z.string().min(1).max(100);
const JobStarted = z.object({ jobId: JobId }).strict();
const FilePath = z.string().min(1).max(4096);

/**
 * A file the user picked in the shell's own Save or Open dialog (or dropped on the window), as an opaque handle
 * good for one use: export.start and ids.import take nothing else, so the page can never name a path itself.
 */
export const FILE_HANDLE_PATTERN = /^fh-[A-Za-z0-9_-]{32}$/;
export const FileHandle = z.string().max(64).regex(FILE_HANDLE_PATTERN, 'expected a file handle from the Save or Open dialog, not a path');
/** What a dialog answers: the handle to pass on, and the path only to show the user. Both null when cancelled. */
const PickedFile = z.object({ handle: FileHandle.nullable(), path: FilePath.nullable() }).strict();
const Zone = z.string().min(1).max(64);

// ---- search and summaries: the shapes are the search layer's own (electron/shared/search.ts)

export {
  CompareRequest, CompareResponse, HourWeekdayRequest, HourWeekdayResponse, ProviderReportedRequest, ProviderReportedResponse,
  SavedSearch, SavedSearchInput, SearchRequest, SearchResponse, SummaryBy, SummaryRequest, SummaryResponse, SummaryRow,
};

// ---- export

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const ExportRequest = z
  .object({
    account: AccountName,
    format: z.enum(EXPORT_FORMATS),
    /** The handle dialog.saveFile answered (one use). */
    out: FileHandle,
    filter: SearchFilter.default({}),
    sort: SortSpec.optional(),
    /** Zone for the time columns; default the account's own. */
    tz: Zone.optional(),
    /** Column headers to include, in order (CLI.md "Export columns"); default all. */
    columns: z.array(z.string().min(1).max(80)).max(64).optional(),
    /** CSV only: ';' for spreadsheets set to a comma decimal separator. */
    separator: z.enum([',', ';']).optional(),
    /** XLSX only: the sheets read right to left (set by the app in Persian). */
    rightToLeft: z.boolean().optional(),
  })
  .strict();
export type ExportRequest = z.infer<typeof ExportRequest>;

// ---- settings and app

export const LANGUAGES = ['en', 'vi', 'fa', 'ro'] as const;
export const Language = z.enum(LANGUAGES);
export const THEMES = ['system', 'light', 'dark'] as const;
/** Which releases the desktop app updates to: 'latest' releases only, or 'beta' pre-releases as well. */
export const UPDATE_CHANNELS = ['latest', 'beta'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];
export const Settings = z
  .object({
    language: Language,
    /** IANA zone for showing times; null = the machine's zone. */
    displayZone: Zone.nullable(),
    theme: z.enum(THEMES),
    updateChannel: z.enum(UPDATE_CHANNELS),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
export const DEFAULT_SETTINGS: Settings = { language: 'en', displayZone: null, theme: 'system', updateChannel: 'latest' };

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** 'electron' in the desktop app, 'preview' in `cdr-desk preview` (no native dialogs there). */
  shell: z.enum(['electron', 'preview']),
  platform: z.string(),
  dataDir: z.string(),
  /** Plain words: where account secrets are kept. */
  secretStore: z.string(),
  /** Set when secrets are only weakly protected (Linux without a keyring); show it to the user. */
  secretWarning: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const FileFilter = z.object({ name: z.string().min(1).max(80), extensions: z.array(z.string().max(10).regex(/^[\w*]{1,10}$/)).max(10) }).strict();

// ---- the channels

function channel<Req extends z.ZodType, Res extends z.ZodType, H extends 'host' | 'main' = 'host'>(
  request: Req,
  response: Res,
  handledBy: H = 'host' as H,
) {
  return { request, response, handledBy } as const;
}

export const CHANNELS = {
  'accounts.list': channel(Empty, z.array(AccountView)),
  'accounts.add': channel(AccountInput.strict(), AccountView),
  'accounts.edit': channel(z.object({ name: AccountName, patch: AccountPatch.strict() }).strict(), AccountView),
  'accounts.remove': channel(z.object({ name: AccountName }).strict(), Nothing),
  'accounts.test': channel(
    z.object({ name: AccountName }).strict(),
    z.object({ ok: z.boolean(), message: z.string() }),
  ),
  /** The coverage ledger: which days were synced completely and when (the account's calendar). */
  'accounts.coverage': channel(CoverageDays.extend({ name: AccountName }).strict(), CoverageResponse),

  /** Fetch new and changed calls for the named accounts (default all); progress as sync.progress events. */
  'sync.start': channel(
    z.object({ accounts: z.array(AccountName).max(500).optional(), from: z.string().max(64).optional(), to: z.string().max(64).optional() }).strict(),
    JobStarted,
  ),
  'sync.cancel': channel(z.object({ jobId: JobId }).strict(), Nothing),
  /** Automatic sync, per account: next run, last run with its verdict, running, paused while offline. */
  'sync.auto.status': channel(Empty, z.array(AutoSyncStatus)),
  /** The window's online/offline state: automatic syncs wait while offline. */
  'sync.auto.online': channel(z.object({ online: z.boolean() }).strict(), Nothing),
  /** Read calls by id for the providers that can only do that: pasted text (one id a line) or a file (a handle from dialog.openFile). */
  'ids.import': channel(
    z
      .object({ account: AccountName, text: z.string().max(20_000_000).optional(), file: FileHandle.optional() })
      .strict()
      .refine((r) => (r.text === undefined) !== (r.file === undefined), 'give either pasted ids (text) or a file, not both'),
    JobStarted,
  ),

  'search.query': channel(SearchRequest, SearchResponse),
  'search.saved.list': channel(Empty, z.array(SavedSearch)),
  /** Saves (or replaces, by name) a search. */
  'search.saved.save': channel(SavedSearchInput, SavedSearch),
  'search.saved.delete': channel(z.object({ name: z.string().min(1).max(80) }).strict(), Nothing),

  'summary.get': channel(SummaryRequest, SummaryResponse),
  /** Hour-of-day × weekday counts per campaign (the heatmap). */
  'summary.matrix': channel(HourWeekdayRequest, HourWeekdayResponse),
  /** The filter's window against the window of equal length just before it. */
  'summary.compare': channel(CompareRequest, CompareResponse),
  'summary.providerReported': channel(ProviderReportedRequest, ProviderReportedResponse),

  /** KPI alerts of each campaign's last complete day (or `day`) against the same weekday of four weeks. */
  'alerts.list': channel(
    z.object({ account: AccountName.optional(), day: z.string().max(10).regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
    z.object({ alerts: z.array(Alert) }).strict(),
  ),
  /** An account's billing settings and rate card (docs/costs.md). */
  'rates.get': channel(z.object({ account: AccountName }).strict(), RateCardView),
  'rates.billing': channel(z.object({ account: AccountName, patch: BillingPatch }).strict(), RateCardView),
  /** Rates from a CSV or XLSX file (a handle from the Open dialog), or pasted CSV text; added to the card's history, or replacing it. */
  'rates.import': channel(
    z
      .object({ account: AccountName, text: z.string().max(10_000_000).optional(), file: FileHandle.optional(), replace: z.boolean().optional() })
      .strict()
      .refine((r) => (r.text === undefined) !== (r.file === undefined), 'give either CSV text or a file, not both'),
    z.object({ imported: z.number().int().nonnegative(), card: RateCardView }),
  ),
  'rates.clear': channel(z.object({ account: AccountName }).strict(), RateCardView),
  /** The card as CSV text, in the columns rates.import reads. */
  'rates.csv': channel(z.object({ account: AccountName }).strict(), z.object({ csv: z.string() })),
  /** An invoice's minutes and amount for a period against the cache, with the likeliest cause of a difference. */
  'rates.checkInvoice': channel(InvoiceCheckRequest, InvoiceCheck),

  'export.start': channel(ExportRequest, JobStarted),
  'export.cancel': channel(z.object({ jobId: JobId }).strict(), Nothing),

  /** Create the demo workspace: simulated accounts synced with sample calls. */
  'demo.start': channel(Empty, z.object({ accounts: z.array(z.string()) })),

  'settings.get': channel(Empty, Settings),
  'settings.set': channel(Settings.partial().strict(), Settings),
  'app.info': channel(Empty, AppInfo),

  // Handled by main itself (native UI), never by the data host.
  'dialog.saveFile': channel(
    z.object({ title: z.string().max(200).optional(), defaultName: z.string().max(255).optional(), filters: z.array(FileFilter).max(10).optional() }).strict(),
    PickedFile,
    'main',
  ),
  'dialog.openFile': channel(
    z.object({ title: z.string().max(200).optional(), filters: z.array(FileFilter).max(10).optional() }).strict(),
    PickedFile,
    'main',
  ),
  'shell.showItemInFolder': channel(z.object({ path: FilePath }).strict(), Nothing, 'main'),
  /** Opens an https link in the user's browser, only for hosts on main's allowlist. */
  'shell.openExternal': channel(z.object({ url: z.url({ protocol: /^https$/ }).max(2048) }).strict(), Nothing, 'main'),
  'app.openLogFolder': channel(Empty, Nothing, 'main'),
} as const;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
export type Request<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type Response<C extends Channel> = z.output<(typeof CHANNELS)[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

// ---- events (data host → renderer)

export const EVENTS = {
  'sync.progress': z.object({
    jobId: JobId,
    account: z.string(),
    /** Pages or ids done so far, and the total when the provider tells it. */
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
    fetched: z.number().int().nonnegative(),
    inserted: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    /** Calls per second over the last few seconds, and seconds left when the total is known. */
    rate: z.number().nonnegative().nullable(),
    etaSec: z.number().nonnegative().nullable(),
  }),
  'export.progress': z.object({
    jobId: JobId,
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
  }),
  /** A file the user dropped on the window, as a one-use read handle (ids.import takes it as `file`). */
  'file.dropped': z.object({ handle: FileHandle, name: z.string().min(1).max(255) }).strict(),
  'job.done': z.object({
    jobId: JobId,
    kind: z.enum(['sync', 'export']),
    ok: z.boolean(),
    cancelled: z.boolean(),
    /** One line for the user when !ok. */
    error: z.string().nullable(),
    /** sync: {accounts:[{name,fetched,inserted,updated,notFound,complete,verdict,error}]}; export: {file, rows}. */
    result: z.unknown(),
  }),
} as const;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

// ---- the Electron IPC names the preload and main agree on: one invoke name per channel, one for events

export const ipcNameOf = (channel: Channel) => `api:${channel}`;
export const IPC_EVENT_NAME = 'api:event';
/** Preload → main only, never part of window.api: the path of a file the user really dropped on the window. */
export const IPC_FILE_DROP = 'shell:file-dropped';

// ---- window.api, derived from the keys above

/** Channels whose request may be empty ({}) can be called with no argument. */
type Fn<C extends Channel> = {} extends Request<C>
  ? (request?: Request<C>) => Promise<Response<C>>
  : (request: Request<C>) => Promise<Response<C>>;
type Nest<K extends string, V> = K extends `${infer Head}.${infer Rest}` ? { [P in Head]: Nest<Rest, V> } : { [P in K]: V };
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Flatten<T> = T extends (...args: never[]) => unknown ? T : { [K in keyof T]: Flatten<T[K]> };

/** The object the renderer sees as window.api. */
export type Api = Flatten<UnionToIntersection<{ [C in Channel]: Nest<C, Fn<C>> }[Channel]>> & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The path of each channel inside window.api: 'search.saved.list' → ['search', 'saved', 'list']. */
export function apiPaths(): { channel: Channel; path: string[] }[] {
  return CHANNEL_NAMES.map((c) => ({ channel: c, path: c.split('.') }));
}

/**
 * Builds window.api from the contract keys: `call` does one round trip (IPC in Electron, fetch in preview),
 * `subscribe` registers an event listener and returns its unsubscribe. Used by the preload and by preview's
 * injected script's bundle-free twin (see electron/data/preview/server.ts), so both have the same shape.
 */
export function buildApi(
  call: (channel: Channel, request: unknown) => Promise<unknown>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): Api {
  const api: Record<string, unknown> = {};
  for (const { channel: c, path } of apiPaths()) {
    let node = api;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = (request: unknown) => call(c, request ?? {});
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`unknown event "${String(event)}"`);
    return subscribe(event, listener);
  };
  return api as unknown as Api;
}

/** One line from a failed validation, naming the field: "filter.statuses.0: Invalid option ...". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`)
    .join('; ');
}
