// Provider descriptors: what each provider needs and can do. The account form, CLI validation and docs are
// derived from these; the request code lives in electron/data/providers/<id>/.
import { z } from 'zod';

export const PROVIDER_IDS = ['autodialer-v4', 'voiceotp-v2', 'pbx-cdr', 'tel4vn-v3', 'sarv-voice'] as const;
export const ProviderId = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderId>;

export interface SecretField {
  key: string;
  label: string;
  /** Shown masked in forms; every secret is stored encrypted either way. */
  sensitive: boolean;
}

/**
 * How hard and how far an account of the provider is read: the request discipline's knobs in one place, so they
 * are read (and tuned) beside the provider's other facts instead of as constants scattered through an adapter.
 */
export interface ProviderLimits {
  /** Requests of one account in flight at once: the account's pacer lets no more through (net/pacer.ts). */
  concurrency: number;
  /** Pages (or records) requested ahead of the one being committed; at most `concurrency` are really sent. */
  prefetch?: number;
  /** How far before the latest activity already synced an incremental sync starts reading again, in ms. */
  lookbackMs?: number;
  /** Rows (records, ids) asked for in one request. */
  pageSize?: number;
  /** Rows of the previous page read again at the start of the next (a list that shifts while it is paged). */
  backtrack?: number;
  /** Ids (by-id providers) in one committed page, or the first batch tried. */
  batch?: number;
}

export interface ProviderDescriptor {
  id: ProviderId;
  label: string;
  vendor: string;
  seed: string;
  secrets: readonly SecretField[];
  /** How calls are found: by listing a window/cursor, or only by ids the user supplies. */
  listing: 'list' | 'by-id';
  /** The provider publishes its own per-campaign totals. */
  campaignReport: boolean;
  /** The zone the vendor's servers usually report in; new accounts default to it. */
  defaultTimezone: string;
  /** An example base URL (everything before the documented path). */
  baseUrlExample: string;
  limits: ProviderLimits;
}

const HOUR_MS = 3_600_000;

export const PROVIDERS: Record<ProviderId, ProviderDescriptor> = {
  'autodialer-v4': {
    id: 'autodialer-v4',
    label: 'Autodialer v4 (Simotel)',
    vendor: 'Nasim Telecom',
    seed: '000_72e4654cf44007f6.txt',
    secrets: [
      { key: 'apiKey', label: 'API key (X-APIKEY)', sensitive: true },
      { key: 'username', label: 'Username', sensitive: false },
      { key: 'password', label: 'Password', sensitive: true },
    ],
    listing: 'list',
    campaignReport: false,
    defaultTimezone: 'Asia/Tehran',
    baseUrlExample: 'http://192.168.51.20',
    // lookbackMs: a record's `date` moves when it changes, so the refresh margin only covers late writes and clocks.
    limits: { concurrency: 4, lookbackMs: HOUR_MS / 2, pageSize: 100, backtrack: 10 },
  },
  'voiceotp-v2': {
    id: 'voiceotp-v2',
    label: 'Voice OTP v2 (TEL4VN)',
    vendor: 'TEL4VN',
    seed: '001_d25d496977265c79.txt',
    secrets: [{ key: 'token', label: 'Access token', sensitive: true }],
    listing: 'by-id',
    campaignReport: false,
    defaultTimezone: 'Asia/Ho_Chi_Minh',
    baseUrlExample: 'http://api.example.vn',
    limits: { concurrency: 4, batch: 100 },
  },
  'pbx-cdr': {
    id: 'pbx-cdr',
    label: 'PBX CDR (While1 Voice)',
    vendor: 'While1 Voice',
    seed: '002_fd53eafbc65b0ef9.txt',
    secrets: [
      { key: 'token', label: 'API token (Bearer)', sensitive: true },
      { key: 'apiKey', label: 'API key (hash)', sensitive: true },
    ],
    listing: 'list',
    campaignReport: false,
    defaultTimezone: 'Europe/Bucharest',
    baseUrlExample: 'https://pbx.example.ro',
    // lookbackMs: edits after hangup (transcription, comments); new calls come by `from_id` (docs/providers/pbx-cdr.md).
    limits: { concurrency: 4, prefetch: 4, lookbackMs: HOUR_MS / 2 },
  },
  'tel4vn-v3': {
    id: 'tel4vn-v3',
    label: 'Autocall v3 (TEL4VN)',
    vendor: 'TEL4VN',
    seed: '003_75bb3701fe30c244.txt',
    secrets: [{ key: 'token', label: 'Bearer token', sensitive: true }],
    listing: 'list',
    campaignReport: true,
    defaultTimezone: 'Asia/Ho_Chi_Minh',
    baseUrlExample: 'https://autocall.example.vn',
    // lookbackMs: before the last activity or the earliest call still ringing; the lead report is live.
    limits: { concurrency: 3, prefetch: 3, lookbackMs: HOUR_MS / 4, pageSize: 500, backtrack: 20 },
  },
  'sarv-voice': {
    id: 'sarv-voice',
    label: 'Voice report (Sarv)',
    vendor: 'Sarv',
    seed: '004_ac5089b7726a4016.txt',
    secrets: [
      { key: 'username', label: 'Username', sensitive: false },
      { key: 'token', label: 'Token', sensitive: true },
    ],
    listing: 'by-id',
    campaignReport: false,
    defaultTimezone: 'Asia/Kolkata',
    baseUrlExample: 'http://sms.example.in',
    limits: { concurrency: 1, batch: 20 },
  },
};

export function providerDescriptor(id: string): ProviderDescriptor | undefined {
  return (PROVIDERS as Record<string, ProviderDescriptor>)[id];
}

/** A knob the provider's adapter cannot work without; a descriptor that lacks it fails at load, not mid-sync. */
export function requiredLimit(id: ProviderId, key: Exclude<keyof ProviderLimits, 'concurrency'>): number {
  const value = PROVIDERS[id].limits[key];
  if (value === undefined) throw new Error(`provider ${id}: its descriptor has no limits.${key}`);
  return value;
}
