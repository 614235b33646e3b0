import { z } from 'zod';
import { AutoSyncSetting } from './auto-sync.ts';
import { SyncVerdict } from './coverage.ts';
import { ProviderId } from './providers.ts';

export const AccountName = z
  .string()
  .trim()
  .min(1, 'account name is empty')
  .max(80, 'account name is longer than 80 characters')
  .regex(/^[^\s/\\][^/\\]*$/, 'account name may not start with a space or contain / or \\');

/** An account as every layer above the data host sees it: never with its secrets. */
export const AccountView = z.object({
  name: z.string(),
  provider: ProviderId,
  baseUrl: z.string(),
  timezone: z.string(),
  cdrCount: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** The last sync's own check: complete, incomplete (text says what is missing) or unverified. */
  lastVerdict: SyncVerdict.nullable(),
  /** Which secret keys are set, so a form can show "saved" without ever holding the value. */
  secretKeys: z.array(z.string()),
  /** Automatic sync while the app is open: off, 15m, 1h, 4h or daily@HH:MM (shared/auto-sync.ts). */
  autoSync: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;

/** Secrets as given in a form: a few short keys (the provider's fields), values up to a long token. */
export const MAX_SECRETS = 16;
const SecretsInput = z
  .record(z.string().min(1).max(64), z.string().max(8192))
  .refine((s) => Object.keys(s).length <= MAX_SECRETS, `at most ${MAX_SECRETS} secrets`);
const BaseUrl = z.string().max(2048);
const TimeZoneName = z.string().max(64);

export const AccountInput = z.object({
  name: AccountName,
  provider: ProviderId,
  baseUrl: BaseUrl,
  timezone: TimeZoneName.optional(),
  secrets: SecretsInput,
  autoSync: AutoSyncSetting.optional(),
});
export type AccountInput = z.infer<typeof AccountInput>;

/** Edit: every field optional; secrets given replace those keys, others are kept. */
export const AccountPatch = z.object({
  name: AccountName.optional(),
  baseUrl: BaseUrl.optional(),
  timezone: TimeZoneName.optional(),
  secrets: SecretsInput.optional(),
  autoSync: AutoSyncSetting.optional(),
});
export type AccountPatch = z.infer<typeof AccountPatch>;
