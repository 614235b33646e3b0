// The automatic sync's status per account (sync.auto.status): loaded at start, after each sync and each change of
// interval, and every half minute so "next" stays true. The window's online state goes to the data host from App.
import type { AutoSyncStatus } from '../../../electron/shared/auto-sync.ts';
import { call } from './api.ts';

export const autoSync: { byName: Record<string, AutoSyncStatus> } = $state({ byName: {} });

export async function loadAutoSync(): Promise<void> {
  try {
    const list = await call('sync.auto.status', {});
    autoSync.byName = Object.fromEntries(list.map((s) => [s.name, s]));
  } catch {
    // A quiet line: on failure it keeps what it showed (the account card reports sync errors itself).
  }
}
