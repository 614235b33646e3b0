// The one interface every provider adapter implements. An adapter speaks its provider's protocol and maps rows
// onto NormalizedCdr; the sync engine (sync.ts) owns transactions, cursors, progress and counting.
import type { NormalizedCdr } from '../../shared/cdr.ts';
import type { ProviderDescriptor } from '../../shared/providers.ts';
import type { HttpClient } from '../net/http.ts';
import type { Secrets } from '../accounts/secrets/store.ts';

export interface AdapterAccount {
  name: string;
  baseUrl: string;
  /** IANA zone in which the provider's naive times are read. */
  timezone: string;
}

export interface SyncWindow {
  /** Epoch ms, inclusive; null = from the provider's beginning (or the last cursor). */
  from: number | null;
  /** Epoch ms, inclusive; null = up to now. */
  to: number | null;
}

export interface AdapterContext {
  account: AdapterAccount;
  secrets: Secrets;
  http: HttpClient;
  window: SyncWindow;
  /** The cursor of the last committed page of this account (JSON value), or null on a first sync. */
  cursor: unknown;
  /** By-id providers: the call ids to read (new ones plus remembered ones not yet final). */
  ids: readonly string[];
  signal: AbortSignal;
}

export interface CampaignInfo {
  campaignId: string;
  name: string | null;
  raw: unknown;
}

export interface CampaignReport {
  campaignId: string;
  campaign: string | null;
  /** The provider's own figures, in its own field names. */
  stats: Record<string, unknown>;
}

export interface LeadInfo {
  leadId: string;
  campaignId: string | null;
  /** The call this lead's latest attempt produced, if any. */
  callId: string | null;
  raw: unknown;
}

/** One unit of work the engine commits atomically: rows + the cursor to resume after them. */
export interface SyncPage {
  cdrs: NormalizedCdr[];
  /** JSON-serializable; handed back as ctx.cursor on the next run. Undefined = keep the previous cursor. */
  cursor?: unknown;
  /** By-id providers: ids the provider says do not exist. */
  notFound?: string[];
  /**
   * By-id providers: the ids this page's requests asked for. Each should come back as a row (`cdrs`) or in
   * `notFound`, on this page or a later one (an id the provider left out of a batch is asked again, alone); an id
   * asked and never answered is a shortfall of the sync (the engine compares over the whole sync).
   */
  asked?: string[];
  /** By-id providers: ids whose call is over and will not change again. */
  final?: string[];
  campaigns?: CampaignInfo[];
  campaignReports?: CampaignReport[];
  leads?: LeadInfo[];
  /** Units done so far and expected in all (pages, rows or ids: the adapter's choice, used for ETA only). */
  progress?: { done: number; total: number | null };
  /**
   * The sync's own check (see SyncClaim): the scope these rows belong to, counted by the engine as distinct call
   * ids, and the provider's own claim about a scope when an answer carries one.
   */
  scope?: string;
  claims?: SyncClaim[];
  /** Evidence of a shortfall the adapter saw while paging (an echoed offset that differs from the one asked...). */
  problems?: string[];
}

/**
 * What the provider itself says about a scope of the sync (a query's `row_count`, a campaign's total, a page
 * count), checked after the account's sync against the distinct call ids the engine stored for that scope.
 * A scope with rows and no claim leaves the sync "unverified", never "complete".
 */
export interface SyncClaim {
  /** Names where a shortfall lies, for the message: `campaign 42`, `calls 2024-10-01 00:00..2024-10-02 00:00`. */
  scope: string;
  /** Calls the provider says the scope holds. */
  expected: number;
}

export interface ProviderAdapter {
  readonly descriptor: ProviderDescriptor;
  /** Reads everything new or changed in the window, page by page. Throws UserError on provider errors. */
  pages(ctx: AdapterContext): AsyncIterable<SyncPage>;
  /** One cheap authenticated request: resolves when credentials and URL work, throws a UserError when not. */
  testConnection(ctx: AdapterContext): Promise<void>;
}
