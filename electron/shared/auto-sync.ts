// An account's automatic-sync interval as every layer writes it ("off", "15m", "1h", "4h", "daily@HH:MM") and the
// status line's facts (auto-sync.status). The scheduler itself is electron/data/sync/auto-sync.ts. No Node here.
import { z } from 'zod';

export const AUTO_SYNC_EVERY = { '15m': 15, '1h': 60, '4h': 240 } as const;
export const AUTO_SYNC_CHOICES = ['off', '15m', '1h', '4h', 'daily'] as const;
const DAILY = /^daily@([01]\d|2[0-3]):[0-5]\d$/;

export const AutoSyncSetting = z
  .string()
  .max(16)
  .refine((s) => s === 'off' || Object.hasOwn(AUTO_SYNC_EVERY, s) || DAILY.test(s), 'auto-sync is off, 15m, 1h, 4h or daily@HH:MM (24-hour, e.g. daily@07:30)');
export type AutoSyncSetting = z.infer<typeof AutoSyncSetting>;

export type AutoSyncInterval = { kind: 'off' } | { kind: 'every'; minutes: 15 | 60 | 240 } | { kind: 'daily'; at: string };

/** The interval a (valid) setting names; anything else reads as off, so a damaged row never syncs by surprise. */
export function parseAutoSync(setting: string): AutoSyncInterval {
  if (Object.hasOwn(AUTO_SYNC_EVERY, setting)) return { kind: 'every', minutes: AUTO_SYNC_EVERY[setting as keyof typeof AUTO_SYNC_EVERY] };
  if (DAILY.test(setting)) return { kind: 'daily', at: setting.slice('daily@'.length) };
  return { kind: 'off' };
}

/** How a sync ended, for the status line: the sync's own check, or failed when it stopped with an error. */
export const LAST_RUN_VERDICTS = ['complete', 'incomplete', 'unverified', 'failed'] as const;

export const AutoSyncStatus = z.object({
  name: z.string(),
  setting: z.string(),
  /** ISO instant the next automatic sync is due; null when off (or while a sync of it runs). */
  next: z.string().nullable(),
  last: z.object({ at: z.string(), verdict: z.enum(LAST_RUN_VERDICTS) }).nullable(),
  running: z.boolean(),
  /** Waiting for the network to come back. */
  paused: z.boolean(),
});
export type AutoSyncStatus = z.infer<typeof AutoSyncStatus>;
