// The provider's own campaign report (tel4vn-v3) beside our figures for the same campaign and window.
import { providerDescriptor } from '../../shared/providers.ts';
import { PROVIDER_REPORT_REASON, type ProviderReportedResponse } from '../../shared/search.ts';
import { UserError } from '../errors.ts';
import { hostDb, type FilterHost } from '../search/filter.ts';
import { toIsoUtc } from '../time/zone.ts';
import { AGGREGATES, type AggRow, sumsOf, figures } from './figures.ts';

/** tel4vn-v3's own campaign report as last synced, beside our figures for the same campaign and window. */
export function providerReported(ws: FilterHost, opts: { account: string }): ProviderReportedResponse {
  const db = hostDb(ws);
  const account = db.prepare('SELECT id, name, provider FROM accounts WHERE name = ? COLLATE NOCASE').get(opts.account) as
    | { id: number; name: string; provider: string }
    | undefined;
  if (!account) throw new UserError('no such account', opts.account);
  if (!providerDescriptor(account.provider)?.campaignReport) {
    throw new UserError(`provider ${account.provider} publishes no campaign report of its own`, account.name);
  }
  const reports = db
    .prepare(
      `SELECT campaign_id, campaign, synced_at, window_from, window_to, stats FROM campaign_reports r
       WHERE account_id = ? AND synced_at = (SELECT max(synced_at) FROM campaign_reports
                                             WHERE account_id = r.account_id AND campaign_id = r.campaign_id)
       ORDER BY campaign, campaign_id`,
    )
    .all(account.id) as { campaign_id: string; campaign: string | null; synced_at: number; window_from: number | null; window_to: number | null; stats: string }[];
  const local = db.prepare(
    `SELECT ${AGGREGATES} FROM cdrs WHERE account_id = ? AND campaign_id = ?
       AND (? IS NULL OR started_at >= ?) AND (? IS NULL OR started_at <= ?)`,
  );
  const rows = reports.map((r) => ({
    campaignId: r.campaign_id,
    campaign: r.campaign,
    syncedAt: toIsoUtc(r.synced_at)!,
    windowFrom: toIsoUtc(r.window_from),
    windowTo: toIsoUtc(r.window_to),
    reported: JSON.parse(r.stats) as Record<string, unknown>,
    local: figures(sumsOf(local.get(account.id, r.campaign_id, r.window_from, r.window_from, r.window_to, r.window_to) as AggRow)),
  }));
  return { account: account.name, reason: PROVIDER_REPORT_REASON, rows };
}
