// Provider accounts: validated against their provider's descriptor, stored without secrets (the SecretStore
// keeps those), and removed together with every cached row.
import type { Database } from 'better-sqlite3';
import { AccountInput, AccountPatch, type AccountView } from '../../shared/account.ts';
import type { SyncVerdict, VerdictStatus } from '../../shared/coverage.ts';
import { providerDescriptor, PROVIDER_IDS, type ProviderDescriptor, type ProviderId } from '../../shared/providers.ts';
import { UserError } from '../errors.ts';
import type { SecretStore, Secrets } from './secrets/store.ts';
import { repriceCalls } from '../costs/store.ts';
import { rebuildTotals } from '../summary/totals.ts';
import { isValidTimeZone, toIsoUtc } from '../time/zone.ts';

export interface AccountRow {
  id: number;
  name: string;
  provider: ProviderId;
  baseUrl: string;
  timezone: string;
  secretKeys: string[];
  lastSyncAt: number | null;
  lastError: string | null;
  /** The verdict of the last sync's own check (sync/verdict.ts); null before the first sync. */
  lastVerdict: SyncVerdict | null;
  /** Automatic sync interval as the contract writes it (shared/auto-sync.ts). */
  autoSync: string;
}

interface DbAccount {
  id: number;
  name: string;
  provider: string;
  base_url: string;
  timezone: string;
  secret_keys: string;
  last_sync_at: number | null;
  last_error: string | null;
  last_verdict: VerdictStatus | null;
  last_verdict_text: string | null;
  auto_sync: string;
}

const secretRef = (id: number) => `account:${id}`;

/** Base URL: http(s), no query or fragment, no trailing slash; a path prefix is allowed (reverse proxies). */
export function normalizeBaseUrl(input: string, account?: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UserError(`base URL "${input}" is not a valid URL (expected e.g. https://pbx.example.com)`, account);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`base URL must start with http:// or https://, got "${url.protocol}"`, account);
  }
  if (url.search || url.hash) throw new UserError('base URL may not carry a query string or fragment', account);
  if (url.username || url.password) throw new UserError('base URL may not carry credentials; use --secret', account);
  return url.toString().replace(/\/+$/, '');
}

function checkTimezone(zone: string, account: string): string {
  if (!isValidTimeZone(zone)) throw new UserError(`unknown time zone "${zone}" (use an IANA name like Asia/Tehran)`, account);
  return zone;
}

function descriptorOf(provider: string, account: string): ProviderDescriptor {
  const d = providerDescriptor(provider);
  if (!d) throw new UserError(`unknown provider "${provider}" (known: ${PROVIDER_IDS.join(', ')})`, account);
  return d;
}

/** Every secret the provider needs is present and non-empty; no unknown keys. */
export function checkSecrets(d: ProviderDescriptor, secrets: Secrets, account: string, partial = false): void {
  const known = new Set(d.secrets.map((s) => s.key));
  for (const key of Object.keys(secrets)) {
    if (!known.has(key)) {
      throw new UserError(`provider ${d.id} has no secret "${key}" (it takes: ${[...known].join(', ')})`, account);
    }
    if (!secrets[key]) throw new UserError(`secret "${key}" is empty`, account);
  }
  if (partial) return;
  const missing = d.secrets.filter((s) => !secrets[s.key]).map((s) => s.key);
  if (missing.length) {
    throw new UserError(`provider ${d.id} needs secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (--secret KEY=VALUE)`, account);
  }
}

export class Accounts {
  private readonly db: Database;
  private readonly secrets: SecretStore;

  constructor(db: Database, secrets: SecretStore) {
    this.db = db;
    this.secrets = secrets;
  }

  async add(input: unknown): Promise<AccountRow> {
    const parsed = AccountInput.safeParse(input);
    const name = typeof (input as { name?: unknown })?.name === 'string' ? (input as { name: string }).name : undefined;
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.') || 'account'}: ${i.message}`).join('; '), name);
    const a = parsed.data;
    const d = descriptorOf(a.provider, a.name);
    const baseUrl = normalizeBaseUrl(a.baseUrl, a.name);
    // The provider's home zone (the zone its API writes naive times in), as the app's account form proposes; the
    // machine's zone is wrong whenever the call center and the provider sit in different zones.
    const timezone = checkTimezone(a.timezone ?? d.defaultTimezone, a.name);
    checkSecrets(d, a.secrets, a.name);
    if (this.find(a.name)) throw new UserError('an account with this name already exists', a.name);

    const now = Date.now();
    const keys = Object.keys(a.secrets).sort();
    // Row first (to get the id), then the secrets; if the store fails the row is rolled back by hand.
    const info = this.db
      .prepare(
        `INSERT INTO accounts (name, provider, base_url, timezone, secret_keys, auto_sync, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.name, d.id, baseUrl, timezone, JSON.stringify(keys), a.autoSync ?? 'off', now, now);
    const id = Number(info.lastInsertRowid);
    try {
      await this.secrets.set(secretRef(id), a.secrets);
    } catch (err) {
      this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
      throw new UserError(`could not store secrets: ${(err as Error).message}`, a.name);
    }
    return this.get(a.name);
  }

  async edit(name: string, patch: unknown): Promise<AccountRow> {
    const current = this.get(name);
    const parsed = AccountPatch.safeParse(patch);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), name);
    const p = parsed.data;
    const d = descriptorOf(current.provider, name);
    const baseUrl = p.baseUrl !== undefined ? normalizeBaseUrl(p.baseUrl, name) : current.baseUrl;
    const timezone = p.timezone !== undefined ? checkTimezone(p.timezone, name) : current.timezone;
    if (p.name && p.name.toLowerCase() !== name.toLowerCase() && this.find(p.name)) {
      throw new UserError(`cannot rename to "${p.name}": that name is taken`, name);
    }
    let keys = current.secretKeys;
    if (p.secrets && Object.keys(p.secrets).length) {
      checkSecrets(d, p.secrets, name, true);
      const merged = { ...((await this.secrets.get(secretRef(current.id))) ?? {}), ...p.secrets };
      await this.secrets.set(secretRef(current.id), merged);
      keys = Object.keys(merged).sort();
    }
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE accounts SET name = ?, base_url = ?, timezone = ?, secret_keys = ?, auto_sync = ?, updated_at = ? WHERE id = ?')
        .run(p.name ?? current.name, baseUrl, timezone, JSON.stringify(keys), p.autoSync ?? current.autoSync, Date.now(), current.id);
      // Summary totals count hours of the week and days in the account's zone.
      // Effective dates of its rates are wall times in its zone: its calls are priced again (and counted again).
      if (timezone !== current.timezone) repriceCalls(this.db, current.id);
    })();
    return this.get(p.name ?? current.name);
  }

  async remove(name: string): Promise<void> {
    const a = this.get(name);
    // Cached rows go with the account (ON DELETE CASCADE), in one transaction.
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(a.id);
    await this.secrets.delete(secretRef(a.id));
  }

  find(name: string): AccountRow | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE name = ? COLLATE NOCASE').get(name) as DbAccount | undefined;
    return row && toRow(row);
  }

  get(name: string): AccountRow {
    const a = this.find(name);
    if (!a) throw new UserError('no such account', name);
    return a;
  }

  all(): AccountRow[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY name').all() as DbAccount[]).map(toRow);
  }

  /** The account's secrets, for the data host's own use only (requests); never returned across IPC. */
  async secretsOf(account: AccountRow): Promise<Secrets> {
    const s = await this.secrets.get(secretRef(account.id));
    if (!s) throw new UserError('its secrets are missing from the secret store; set them again', account.name);
    // Checked here once, so that no adapter has to: every secret the provider needs is present and non-empty.
    const d = providerDescriptor(account.provider);
    const missing = d ? d.secrets.filter((f) => !s[f.key]).map((f) => f.key) : [];
    if (missing.length) throw new UserError(`the secret${missing.length > 1 ? 's' : ''} ${missing.map((k) => `"${k}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing; set ${missing.length > 1 ? 'them' : 'it'} again`, account.name);
    return s;
  }

  recordSync(accountId: number, at: number, error: string | null, verdict: SyncVerdict | null = null): void {
    this.db
      .prepare('UPDATE accounts SET last_sync_at = ?, last_error = ?, last_verdict = ?, last_verdict_text = ? WHERE id = ?')
      .run(at, error, verdict?.status ?? null, verdict?.text ?? null, accountId);
  }

  views(): AccountView[] {
    const counts = new Map(
      (this.db.prepare('SELECT account_id, count(*) n FROM cdrs GROUP BY account_id').all() as { account_id: number; n: number }[]).map(
        (r) => [r.account_id, r.n],
      ),
    );
    return this.all().map((a) => toView(a, counts.get(a.id) ?? 0));
  }
}

export function toView(a: AccountRow, cdrCount: number): AccountView {
  return {
    name: a.name,
    provider: a.provider,
    baseUrl: a.baseUrl,
    timezone: a.timezone,
    cdrCount,
    lastSyncAt: toIsoUtc(a.lastSyncAt),
    lastError: a.lastError,
    lastVerdict: a.lastVerdict,
    secretKeys: a.secretKeys,
    autoSync: a.autoSync,
  };
}

function toRow(r: DbAccount): AccountRow {
  return {
    id: r.id,
    name: r.name,
    provider: r.provider as ProviderId,
    baseUrl: r.base_url,
    timezone: r.timezone,
    secretKeys: JSON.parse(r.secret_keys) as string[],
    lastSyncAt: r.last_sync_at,
    lastError: r.last_error,
    lastVerdict: r.last_verdict ? { status: r.last_verdict, text: r.last_verdict_text ?? '' } : null,
    autoSync: r.auto_sync,
  };
}
