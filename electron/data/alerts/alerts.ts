// Alerts from the cache: for every campaign of an account, its day (default: the last complete day in the
// account's zone) against the same weekday of the four weeks before, judged by stats.ts. Read-only and cheap (five
// day-windows of one account, on the cdrs_account_started index), so it can run after every sync.
import type { Database } from 'better-sqlite3';
import { DEFAULT_ALERT_SETTINGS, type Alert, type AlertSettings } from '../../shared/alerts.ts';
import { UserError } from '../errors.ts';
import { dayInZone } from '../time/relative-day.ts';
import { zonedToEpochMs } from '../time/zone.ts';
import type { Workspace } from '../workspace.ts';
import { judgeDay, type DayFigures } from './stats.ts';

export interface AlertOptions {
  /** One account by name; default every account. */
  account?: string;
  /** YYYY-MM-DD; default the last complete day (yesterday) in each account's zone. */
  day?: string;
  now?: number;
  settings?: Partial<AlertSettings>;
}

export const BASELINE_WEEKS = 4;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ZERO: DayFigures = { calls: 0, answered: 0, talk: 0, talk2: 0 };

/** [start, end) epoch ms of the local day `daysBack` days before `day` in `zone`, and that day's date. */
function dayWindow(zone: string, day: string, daysBack: number): [number, number] {
  const [, y, m, d] = DATE.exec(day)!.map(Number) as [number, number, number, number];
  const at = (offset: number) => {
    const w = new Date(Date.UTC(y, m - 1, d - daysBack + offset));
    return zonedToEpochMs(zone, { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: 0, minute: 0, second: 0 });
  };
  return [at(0), at(1)];
}

function checkDay(day: string): void {
  const m = DATE.exec(day);
  const d = m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const valid = d && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  if (!valid) throw new UserError(`--day "${day}" is not a date (YYYY-MM-DD)`);
}

/** Per campaign, the figures of the calls that started in [from, to). */
function figuresByCampaign(db: Database, accountId: number, [from, to]: [number, number]): Map<string | null, DayFigures> {
  const rows = db.prepare(
    `SELECT campaign, count(*) AS calls, sum(status = 'answered') AS answered,
            total(CASE WHEN status = 'answered' THEN coalesce(bill_sec, 0) END) AS talk,
            total(CASE WHEN status = 'answered' THEN coalesce(bill_sec, 0) * coalesce(bill_sec, 0) END) AS talk2
     FROM cdrs WHERE account_id = ? AND started_at >= ? AND started_at < ? GROUP BY campaign`,
  ).all(accountId, from, to) as ({ campaign: string | null } & DayFigures)[];
  return new Map(rows.map((r) => [r.campaign, { calls: r.calls, answered: r.answered, talk: r.talk, talk2: r.talk2 }]));
}

export function findAlerts(ws: Workspace, opts: AlertOptions = {}): Alert[] {
  const settings = { ...DEFAULT_ALERT_SETTINGS, ...opts.settings };
  if (opts.day !== undefined) checkDay(opts.day);
  const accounts = opts.account !== undefined ? [ws.accounts.get(opts.account)] : ws.accounts.all();
  const alerts: Alert[] = [];
  for (const a of accounts) {
    const day = opts.day ?? dayInZone(a.timezone, opts.now ?? Date.now(), 1);
    const target = figuresByCampaign(ws.db, a.id, dayWindow(a.timezone, day, 0));
    const weeks = Array.from({ length: BASELINE_WEEKS }, (_, i) => figuresByCampaign(ws.db, a.id, dayWindow(a.timezone, day, 7 * (i + 1))));
    const campaigns = new Set([...target.keys(), ...weeks.flatMap((w) => [...w.keys()])]);
    for (const campaign of [...campaigns].sort((x, y) => (x ?? '').localeCompare(y ?? ''))) {
      const verdicts = judgeDay(target.get(campaign) ?? ZERO, weeks.map((w) => w.get(campaign) ?? ZERO), settings);
      for (const v of verdicts) alerts.push({ account: a.name, campaign, day, ...v });
    }
  }
  return alerts;
}
