// Which view is open, plus small cross-view signals (keyboard shortcuts ask a view to do something).
import type { AppInfo } from '../../../electron/shared/contract.ts';

export type View = 'calls' | 'campaigns' | 'accounts' | 'export' | 'settings';

export const ui: { view: View; focusSearch: number; appInfo: AppInfo | null } = $state({
  view: 'calls',
  /** Bumped by Ctrl/Cmd+K; the Calls view focuses its search box when it changes. */
  focusSearch: 0,
  appInfo: null,
});
