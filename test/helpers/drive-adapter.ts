// Drives one adapter's pages into a real cache the way the sync engine commits them (rows + cursor per page, in
// one transaction), summing what the adapter reported: for adapter tests that look below syncAccounts.
import type { Database } from 'better-sqlite3';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import type { CampaignReport, LeadInfo, SyncPage } from '../../electron/data/providers/types.ts';

export interface DrivenPages {
  /** The last cursor an adapter gave, round-tripped through JSON as the engine stores it. */
  cursor: unknown;
  fetched: number;
  inserted: number;
  updated: number;
  pages: number;
  notFound: string[];
  final: string[];
  leads: LeadInfo[];
  reports: CampaignReport[];
}

/** `stopAfter` pages simulates a crash after that many commits. */
export async function driveAdapter(
  db: Database,
  accountId: number,
  pages: AsyncIterable<SyncPage>,
  opts: { cursor?: unknown; stopAfter?: number } = {},
): Promise<DrivenPages> {
  const writer = new CdrWriter(db);
  const out: DrivenPages = { cursor: opts.cursor ?? null, fetched: 0, inserted: 0, updated: 0, pages: 0, notFound: [], final: [], leads: [], reports: [] };
  for await (const page of pages) {
    db.transaction(() => {
      const c = writer.write(accountId, page.cdrs);
      out.inserted += c.inserted;
      out.updated += c.updated;
      if (page.cursor !== undefined) out.cursor = JSON.parse(JSON.stringify(page.cursor));
    })();
    out.fetched += page.cdrs.length;
    out.notFound.push(...(page.notFound ?? []));
    out.final.push(...(page.final ?? []));
    out.leads.push(...(page.leads ?? []));
    out.reports.push(...(page.campaignReports ?? []));
    if (++out.pages === opts.stopAfter) break;
  }
  return out;
}
