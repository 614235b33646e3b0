// The account list every view shares (filters, export, campaigns), refreshed after any change or sync.
import type { AccountView } from '../../../electron/shared/account.ts';
import { call } from './api.ts';
import { notifyError } from './notices.svelte.ts';

export const accounts: { list: AccountView[]; loaded: boolean } = $state({ list: [], loaded: false });

export async function refreshAccounts(): Promise<void> {
  try {
    accounts.list = await call('accounts.list', {});
  } catch (err) {
    notifyError(err);
  } finally {
    accounts.loaded = true;
  }
}
