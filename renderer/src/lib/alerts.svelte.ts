// KPI alerts for the badge on Campaigns and its list: loaded from the data host at start and after each sync;
// dismissed ones are remembered on this machine (by account, campaign, day and KPI) and stay hidden.
import type { Alert } from '../../../electron/shared/alerts.ts';
import { call } from './api.ts';

const STORAGE_KEY = 'cdr-desk.dismissed-alerts';

export const alerts: { list: Alert[]; dismissed: string[] } = $state({ list: [], dismissed: loadDismissed() });

export const alertKey = (a: Alert) => [a.account, a.campaign ?? '', a.day, a.kpi].join('|');

function loadDismissed(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

export function visibleAlerts(): Alert[] {
  return alerts.list.filter((a) => !alerts.dismissed.includes(alertKey(a)));
}

export async function loadAlerts(): Promise<void> {
  try {
    alerts.list = (await call('alerts.list', {})).alerts;
  } catch {
    // Alerts are a hint: a failure here leaves the last list (the views report data errors themselves).
  }
}

export function dismissAlert(a: Alert): void {
  // Only keys of alerts still listed are kept, so the stored list does not grow forever.
  const live = new Set(alerts.list.map(alertKey));
  alerts.dismissed = [...alerts.dismissed.filter((k) => live.has(k)), alertKey(a)];
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(alerts.dismissed));
  } catch {
    // Not fatal: hidden for this session.
  }
}
