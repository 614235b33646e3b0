// The wire's ceiling (issue 10 baseline): a bare client that fetches and parses every page a sync would, from the
// same simulator, with the same concurrency as the adapter, and stores nothing. A sync's rate divided by this
// one says how much of the time our own work (mapping, SQLite, search indexes) adds to the network's.
import { Pool } from 'undici';
import { PBX_PREFETCH, pbxRequestBody } from '../electron/data/providers/pbx-cdr/adapter.ts';
import { parseTolerantJson, SARV_FIRST_BATCH, SARV_REPORT_PATH } from '../electron/data/providers/sarv-voice/adapter.ts';
import type { SimInfo } from './build-cache.ts';
import { measure, type Figure } from './measure.ts';

function poolFor(baseUrl: string, connections: number): { pool: Pool; prefix: string } {
  const url = new URL(baseUrl);
  return { pool: new Pool(url.origin, { connections }), prefix: url.pathname.replace(/\/$/, '') };
}

async function post(pool: Pool, path: string, headers: Record<string, string>, body: string): Promise<string> {
  const res = await pool.request({ method: 'POST', path, headers, body });
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
