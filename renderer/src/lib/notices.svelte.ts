// Messages for the user (errors and confirmations), shown in one live region so screen readers hear them too.
import { userMessage } from './api.ts';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let nextId = 1;
export const notices: Notice[] = $state([]);

export function notify(text: string, kind: Notice['kind'] = 'info'): void {
  const id = nextId++;
  notices.push({ id, kind, text });
  // Errors stay until dismissed; confirmations fade on their own.
  if (kind === 'info') setTimeout(() => dismiss(id), 6000);
}

export function notifyError(err: unknown): void {
  notify(userMessage(err), 'error');
}

export function dismiss(id: number): void {
  const i = notices.findIndex((n) => n.id === id);
  if (i >= 0) notices.splice(i, 1);
}

/** Runs an API action and reports its failure to the user; returns undefined when it failed. */
export async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    notifyError(err);
    return undefined;
  }
}
