// The wire's ceiling (issue 10 baseline): a bare client that fetches and parses every page a sync would, from the
// same simulator, with the same concurrency as the adapter, and stores nothing. A sync's rate divided by this
// one says how much of the time our own work (mapping, SQLite, search indexes) adds to the network's.
import '../electron/data/net/wasm-wrappers.ts'; // the same V8 setting as the sync's client
import { Pool } from 'undici';
import { AUTODIALER_INFO_CONCURRENCY, oid } from '../electron/data/providers/autodialer-v4/adapter.ts';
import { PBX_PREFETCH, pbxRequestBody } from '../electron/data/providers/pbx-cdr/adapter.ts';
import { TEL4VN_BACKTRACK, TEL4VN_PAGE_LIMIT, TEL4VN_PREFETCH } from '../electron/data/providers/tel4vn-v3/adapter.ts';
import { parseTolerantJson, SARV_FIRST_BATCH, SARV_REPORT_PATH } from '../electron/data/providers/sarv-voice/adapter.ts';
import type { SimInfo } from './build-cache.ts';
import { measure, type Figure } from './measure.ts';

function poolFor(baseUrl: string, connections: number): { pool: Pool; prefix: string } {
  const url = new URL(baseUrl);
  return { pool: new Pool(url.origin, { connections }), prefix: url.pathname.replace(/\/$/, '') };
}

async function post(pool: Pool, path: string, headers: Record<string, string>, body?: string, method: 'GET' | 'POST' = 'POST'): Promise<string> {
  const res = await pool.request({ method, path, headers, body });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`wire ceiling: HTTP ${res.statusCode} from ${path}`);
  return text;
}

/** pbx-cdr: page 1 tells max_page, then pages 2.. with PBX_PREFETCH requests in flight, as the adapter does. */
export async function pbxWireCeiling(info: SimInfo): Promise<Figure> {
  const { pool, prefix } = poolFor(info.baseUrl, PBX_PREFETCH);
  const headers = { authorization: `Bearer ${info.secrets.token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  let rows = 0;
  const page = async (n: number) => {
    const body = JSON.parse(await post(pool, `${prefix}/api/cdr`, headers, pbxRequestBody(n, {}, info.secrets.apiKey!).body)) as {
      results: unknown[];
      pagination: { max_page: number };
    };
    rows += body.results.length;
    return body.pagination.max_page;
  };
  try {
    const fig = await measure(info.calls, async () => {
      const maxPage = await page(1);
      let next = 2;
      const lane = async () => {
        while (next <= maxPage) await page(next++);
      };
      await Promise.all(Array.from({ length: PBX_PREFETCH }, lane));
    });
    if (rows !== info.calls) throw new Error(`pbx wire ceiling read ${rows} rows of ${info.calls}`);
    return fig;
  } finally {
    await pool.close();
  }
}

/** sarv-voice: the ids in batches, one request at a time, halving the batch on error 019, as the adapter does. */
export async function sarvWireCeiling(info: SimInfo): Promise<Figure> {
  const { pool, prefix } = poolFor(info.baseUrl, 1);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  let entries = 0;
  try {
    return await measure(info.calls, async () => {
      let batch = SARV_FIRST_BATCH;
      for (let i = 0; i < info.ids.length; ) {
        const chunk = info.ids.slice(i, i + batch);
        const form = new URLSearchParams({ username: info.secrets.username!, token: info.secrets.token!, unique_ids: chunk.join(',') });
        const body = parseTolerantJson(await post(pool, `${prefix}${SARV_REPORT_PATH}`, headers, form.toString())) as { code?: string; data?: Record<string, unknown> };
        if (body.code === '019' && batch > 1) {
          batch = Math.floor(batch / 2);
          continue;
        }
        if (!body.data) throw new Error(`sarv wire ceiling: no data in ${JSON.stringify(body).slice(0, 200)}`);
        entries += Object.keys(body.data).length;
        i += chunk.length;
      }
      if (entries !== info.ids.length) throw new Error(`sarv wire ceiling read ${entries} entries for ${info.ids.length} ids`);
    });
  } finally {
    await pool.close();
  }
}

/**
 * tel4vn-v3: the campaign list, then each campaign's lead report: offset 0 tells `total`, then the offsets the
 * adapter asks (a page of TEL4VN_PAGE_LIMIT, TEL4VN_BACKTRACK rows read again) with TEL4VN_PREFETCH in flight, and
 * the next campaigns' first pages in the places left.
 */
export async function tel4vnWireCeiling(info: SimInfo): Promise<Figure> {
  const { pool, prefix } = poolFor(info.baseUrl, TEL4VN_PREFETCH);
  const headers = { authorization: `Bearer ${info.secrets.token}`, accept: 'application/json' };
  const get = async (path: string) => JSON.parse(await post(pool, `${prefix}${path}`, headers, undefined, 'GET')) as { data: Record<string, unknown>[]; total?: number };
  const calls = new Set<unknown>();
  const leads = async (campaign: string, offset: number) => {
    const body = await get(`/v3/report/call/lead?campaign_uuid=${encodeURIComponent(campaign)}&limit=${TEL4VN_PAGE_LIMIT}&offset=${offset}`);
    for (const row of body.data) if (row.cdr_uuid) calls.add(row.cdr_uuid);
    return body.total ?? 0;
  };
  try {
    const fig = await measure(info.calls, async () => {
      const campaigns = (await get('/v3/report/call/campaign')).data.map((c) => String(c.campaign_uuid));
      // Each answer frees a place: the offsets of campaigns whose `total` is known first, in campaign order; the
      // places left ask the next campaigns' first pages. The adapter does so once a campaign's requests reach its
      // end; this client from the start too, so it is never slower than the adapter's way (it is the ceiling).
      const known: [string, number][] = [];
      let firstAsked = 0;
      await new Promise<void>((done, fail) => {
        let inFlight = 0;
        const send = () => {
          while (inFlight < TEL4VN_PREFETCH) {
            const item = known.shift() ?? (firstAsked < campaigns.length ? ([campaigns[firstAsked++]!, 0] as [string, number]) : undefined);
            if (!item) break;
            const [campaign, offset] = item;
            inFlight++;
            leads(campaign, offset).then((total) => {
              inFlight--;
              for (let at = 0; offset === 0 && at + TEL4VN_PAGE_LIMIT < total; ) known.push([campaign, (at += TEL4VN_PAGE_LIMIT - TEL4VN_BACKTRACK)]);
              send();
            }, fail);
          }
          if (inFlight === 0) done();
        };
        send();
      });
    });
    if (calls.size !== info.calls) throw new Error(`tel4vn wire ceiling read ${calls.size} calls of ${info.calls}`);
    return fig;
  } finally {
    await pool.close();
  }
}

/**
 * autodialer-v4: `reports/ordered/id` answer after answer (each names the next), and one `reports/info` per
 * try, AUTODIALER_INFO_CONCURRENCY at once, kept busy while the next answers are read.
 */
export async function autodialerWireCeiling(info: SimInfo): Promise<Figure> {
  // The account's pacer lets AUTODIALER_INFO_CONCURRENCY requests out at once, ordered reads included: so does this.
  const { pool, prefix } = poolFor(info.baseUrl, AUTODIALER_INFO_CONCURRENCY);
  const { apiKey, username, password } = info.secrets;
  const headers = {
    'x-apikey': apiKey!,
    authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  type Json = Record<string, unknown>;
  const call = async (path: string, body: Json) => JSON.parse(await post(pool, `${prefix}/api/v4/autodialer/reports/${path}`, headers, JSON.stringify(body))) as { data?: Json };
  let tries = 0;
  try {
    const fig = await measure(info.calls, async () => {
      const queue: string[] = [];
      let reading = true;
      const sleeping: (() => void)[] = [];
      const wake = () => {
        for (const lane of sleeping.splice(0)) lane();
      };
      const reader = (async () => {
        try {
          for (let last = ''; ; ) {
            const data = (await call('ordered/id', { _id: last })).data ?? {};
            const records = (data.data ?? []) as Json[];
            const next = oid(data.last_id) ?? '';
            if (!records.length || !next || next === last) return;
            for (const r of records) for (const t of (r.tries ?? []) as Json[]) queue.push(oid(t.cdr_id)!);
            last = next;
            wake();
          }
        } finally {
          reading = false;
          wake();
        }
      })();
      const infoLane = async () => {
        for (;;) {
          const id = queue.shift();
          if (id !== undefined) {
            await call('info', { _id: id });
            tries++;
          } else if (reading) await new Promise<void>((resolve) => sleeping.push(resolve));
          else return;
        }
      };
      await Promise.all([reader, ...Array.from({ length: AUTODIALER_INFO_CONCURRENCY }, infoLane)]);
    });
    if (tries !== info.calls) throw new Error(`autodialer wire ceiling read ${tries} tries of ${info.calls}`);
    return fig;
  } finally {
    await pool.close();
  }
}
