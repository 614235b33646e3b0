import { z } from 'zod';
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
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountInput = z.object({
  name: AccountName,
  provider: ProviderId,
  baseUrl: z.string(),
  timezone: z.string().optional(),
  secrets: z.record(z.string(), z.string()),
});
export type AccountInput = z.infer<typeof AccountInput>;

/** Edit: every field optional; secrets given replace those keys, others are kept. */
export const AccountPatch = z.object({
  name: AccountName.optional(),
  baseUrl: z.string().optional(),
  timezone: z.string().optional(),
  secrets: z.record(z.string(), z.string()).optional(),
});
export type AccountPatch = z.infer<typeof AccountPatch>;
