// A While1 Voice PBX on 127.0.0.1: POST/GET {prefix}/api/cdr with a Bearer token and an api_hash
// checked the way PHP computes it, 100 rows a page with the seed's pagination object, `date_between` and
// `from_id` (>= id) filters, and the seed's error body (`pagination` becomes `[]`). Calls are generated from a
// seed: Romanian agents and customers (diacritics), inbound and outbound, every status, some in the repeated
// hour when clocks go back in October; CDR ids are assigned when a call ends, as Asterisk's CDR table does.
// Dialects (PBX_CDR_DIALECTS), one per reading the vendor's document leaves open (docs/providers/pbx-cdr.md):
//   seed             pages from 1, `max_page` the number of pages, `row_count` the rows of the query;
//   zero-based       pages from 0 and `max_page` the last page's number (the example's current_page 0 / max_page 0);
//   no-counts        `pagination` as in the example beside its one result: row_count, current_page, max_page all 0;
//   action-required  the English page's `action=read` is required (refused without it); errors in HTTP 200.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatus } from '../../../shared/cdr.ts';
import { httpBuildQuery, parsePhpQuery, type PhpValue } from './php-query.ts';
import { PBX_EDIT_MARGIN_MS, PBX_FILTER_KEYS } from './adapter.ts';
import { formatWall, offsetMinutesAt, toIsoUtc } from '../../time/zone.ts';
import { readRequestBody, sendJson, type Fault, type FaultController } from '../simulation/faults.ts';
import { seededRng } from '../simulation/random.ts';
import { startSimServer } from '../simulation/server.ts';
import { pickDialect, type ExpectedCall, type RunningSimulator, type SimulatorOptions, type StartSimulator } from '../simulation/types.ts';

export const PBX_CDR_DIALECTS = ['seed', 'zero-based', 'no-counts', 'action-required'] as const;
export type PbxCdrDialect = (typeof PBX_CDR_DIALECTS)[number];

export interface PbxCdrSimulatorOptions extends SimulatorOptions {
  /** Path prefix of the PBX behind a reverse proxy; default '/pbx' (base URL http://127.0.0.1:PORT/pbx). */
  pathPrefix?: string;
  timezone?: string;
  pageSize?: number;
}

const DEFAULT_END = Date.UTC(2024, 10, 1);
const DEFAULT_START = DEFAULT_END - 30 * 86_400_000;

const AGENTS = [
  'Ștefan Ionescu', 'Ioana Mărgărit', 'Răzvan Țăranu', 'Andreea Dumitrescu', 'Mihai Popescu', 'Alexandra Șerban',
  'Cătălin Bălan', 'Irina Stănescu', 'Bogdan Vâlcu', 'Elena Gheorghiță',
];
const CUSTOMERS = [
  'Gheorghe Țurcanu', 'Maria Onișor', 'Vlad Sârbu', 'Ana-Maria Rădulescu', 'Florin Bârsan', 'Oana Crăciun',
  'Doina Pîrvu', 'Sorin Lăcătuș', 'Luminița Ștefănescu', 'Tudor Șandru',
];
const PROJECTS = ['Campanie Toamnă 2024', 'Suport Clienți', 'Vânzări Telefonice', 'Recuperări Creanțe'];
const DIDS = ['0312285000', '0213101010', '0264599111'];
const ROUTES = ['Linie principală', 'Suport tehnic', 'Facturare'];
const TRANSCRIPTS = [
  'Bună ziua, vă sun în legătură cu factura din octombrie.',
  'Clientul dorește o ofertă pentru abonamentul de internet; revine mâine.',
  'Am confirmat programarea pentru joi, ora 14:00.',
  'Reclamație: livrarea a întârziat, s-a oferit o reducere de 10%.',
];

interface Outcome {
  text: string;
  status: CallStatus;
  info: string;
}
const OUT_OUTCOMES: [number, Outcome][] = [
  [55, { text: 'ANSWERED', status: 'answered', info: 'DS:ANSWER|HC:16' }],
  [19, { text: 'NO ANSWER', status: 'no_answer', info: 'DS:NOANSWER|HC:19|HI:SIP 480 Temporarily Unavailable' }],
  [10, { text: 'BUSY', status: 'busy', info: 'DS:BUSY|HC:17|HI:SIP 486 Busy Here' }],
  [8, { text: 'FAILED', status: 'failed', info: 'DS:CONGESTION|HC:34|HI:SIP 503 Service Unavailable' }],
  [5, { text: 'CONGESTION', status: 'congestion', info: 'DS:CONGESTION|HC:38' }],
  [3, { text: 'CANCEL', status: 'cancelled', info: 'DS:CANCEL|HC:16' }],
];
const IN_OUTCOMES: [number, Outcome][] = [
  [70, { text: 'ANSWERED', status: 'answered', info: 'DS:ANSWER|HC:16' }],
  [20, { text: 'NO ANSWER', status: 'no_answer', info: 'DS:NOANSWER|HC:16' }],
  [5, { text: 'BUSY', status: 'busy', info: 'DS:BUSY|HC:17' }],
  [5, { text: 'FAILED', status: 'failed', info: 'DS:CHANUNAVAIL|HC:20' }],
];

const hms = (sec: number) =>
  [Math.floor(sec / 3600), Math.floor((sec % 3600) / 60), sec % 60].map((n) => String(n).padStart(2, '0')).join(':');
const slug = (name: string) =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Instants [from, to) whose wall reading repeats (clocks going back) in `zone`, within [start, end). */
export function overlapRanges(zone: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let prev = offsetMinutesAt(zone, start);
  for (let t = start + 3_600_000; t < end + 3_600_000; t += 3_600_000) {
    const off = offsetMinutesAt(zone, t);
    if (off < prev) {
      // Find the transition to the second, then the repeated span is (T - diff, T + diff).
      let lo = t - 3_600_000;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (offsetMinutesAt(zone, mid) === prev) lo = mid;
        else hi = mid;
      }
      const diff = (prev - off) * 60_000;
      out.push([Math.max(start, hi - diff), Math.min(end, hi + diff)]);
    }
    prev = off;
  }
  return out.filter(([a, b]) => a < b);
}

interface SimCall {
  id: number;
  startMs: number;
  endMs: number;
  status: CallStatus;
  row: Record<string, unknown>;
  json: string;
}

class PbxData {
  readonly zone: string;
  readonly rand: () => number;
  calls: SimCall[] = [];
  private seq = 480;
  private nextId = 29_000;
  version = 0;

  constructor(zone: string, seed: number) {
    this.zone = zone;
    this.rand = seededRng(seed).next;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private weighted(list: [number, Outcome][]): Outcome {
    const total = list.reduce((s, [w]) => s + w, 0);
    let r = this.rand() * total;
    for (const [w, o] of list) if ((r -= w) < 0) return o;
    return list[list.length - 1]![1];
  }

  private phone(): string {
    const r = this.rand();
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(this.rand() * 10)).join('');
    if (r < 0.6) return `07${digits(8)}`;
    if (r < 0.8) return `021${digits(7)}`;
    return `+407${digits(8)}`;
  }

  /** One call placed at `startMs`, not yet given an id. */
  make(startMs: number): Omit<SimCall, 'id' | 'json'> {
    const inbound = this.rand() < 0.4;
    const o = this.weighted(inbound ? IN_OUTCOMES : OUT_OUTCOMES);
    const answered = o.status === 'answered';
    const ring = answered ? 2 + Math.floor(this.rand() * 25) : o.status === 'no_answer' ? 20 + Math.floor(this.rand() * 25) : Math.floor(this.rand() * 6);
    const ivr = inbound ? Math.floor(this.rand() * 20) : 0;
    const bill = answered ? 5 + Math.floor(this.rand() * (this.rand() < 0.1 ? 3600 : 600)) : 0;
    const duration = ivr + ring + bill;
    const endMs = startMs + duration * 1000;
    const agent = !inbound || answered ? this.pick(AGENTS) : null;
    const customer = this.phone();
    const customerName = this.rand() < 0.6 ? this.pick(CUSTOMERS) : null;
    const did = this.pick(DIDS);
    const uniqueid = `${Math.floor(startMs / 1000)}.${this.seq++}`;
    const project = this.rand() < 0.85 ? this.pick(PROJECTS) : null;
    const withRecording = answered && this.rand() < 0.8;
    const transcript = answered && this.rand() < 0.3 ? this.pick(TRANSCRIPTS) : null;
    const user = agent ? slug(agent) : null;
    const route = inbound ? this.pick(ROUTES) : null;
    const row: Record<string, unknown> = {
      id: '',
      uniqueid,
      linkedid: uniqueid,
      time: formatWall(this.zone, startMs),
      time_end: formatWall(this.zone, endMs),
      caller_id: inbound ? (customerName ? `"${customerName}" <${customer}>` : `<${customer}>`) : `"${agent}" <${did}>`,
      source: inbound ? customer : did,
      destination: inbound ? did : customer,
      direction: inbound ? 'IN' : 'OUT',
      channel_formatted: inbound ? `PJSIP/trunk-${did}` : `PJSIP/${user}`,
      dstchannel_formatted: inbound ? (user ? `PJSIP/${user}` : '') : answered ? `PJSIP/trunk-${did}` : '',
      customer_id: null,
      user_fullname: agent,
      qname: inbound ? 'coada-suport' : null,
      code: inbound ? 'inbound' : 'outbound',
      call_status: o.text,
      call_status_info: o.info,
      call_codes: answered ? (inbound ? 'in answered' : 'out answered') : inbound ? 'in no answer' : 'out no answer',
      accounting_code: null,
      accounting_value: null,
      comments: null,
      monitor_files: null,
      monitor_urls: null,
      recording_file: withRecording ? `${uniqueid}.wav` : null,
      recording_url: withRecording && this.rand() < 0.7 ? `https://pbx.example.ro/recordings/${uniqueid}.wav` : null,
      transfers: null,
      project,
      inbound_route: route,
      inbound_route_id: route ? String(ROUTES.indexOf(route) + 1) : null,
      queue_log: null,
      ivr_log: null,
      external_id: null,
      external_info: null,
      agent_details: null,
      is_recovered: null,
      transcription_id: transcript ? String(1000 + this.seq) : null,
      transcription_text: transcript,
      bill_duration: hms(bill),
      duration: hms(duration),
      bill_minutes: Math.ceil(bill / 60),
      ivr_duration: hms(ivr),
      hold_time: '00:00:00',
      ring_time: hms(ring),
    };
    return { startMs, endMs, status: o.status, row };
  }

  /** Gives ids in order of the calls' end (the CDR is written at hangup) and stores them. */
  add(made: Omit<SimCall, 'id' | 'json'>[]): SimCall[] {
    const byEnd = [...made].sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs);
    const out = byEnd.map((m) => {
      const id = this.nextId++;
      m.row.id = String(id);
      return { ...m, id, json: JSON.stringify(m.row) };
    });
    for (const c of out) this.calls.push(c); // not push(...out): a million arguments overflow the stack
    this.version++;
    return out;
  }

  touch(call: SimCall): void {
    call.json = JSON.stringify(call.row);
    this.version++;
  }
}

export function expectedOf(c: SimCall): ExpectedCall {
  const r = c.row;
  const bill = parseHms(String(r.bill_duration));
  const duration = parseHms(String(r.duration));
  return {
    callId: String(c.id),
    status: c.status,
    providerStatus: String(r.call_status),
    direction: r.direction === 'IN' ? 'in' : 'out',
    source: String(r.source),
    destination: String(r.destination),
    campaign: (r.project as string | null) ?? null,
    startedAt: toIsoUtc(c.startMs),
    answeredAt: c.status === 'answered' ? toIsoUtc(c.endMs - bill * 1000) : null,
    endedAt: toIsoUtc(c.endMs),
    durationSec: duration,
    billSec: bill,
    agent: (r.user_fullname as string | null) ?? null,
    contact: null,
  };
}

function parseHms(t: string): number {
  const [h, m, s] = t.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
}

function errorBody(messages: string[]) {
  return { has_error: true, messages, pagination: [], results: [] };
}

const asList = (v: unknown): unknown[] | null =>
  Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v as Record<string, unknown>) : null;

export const startPbxCdrSimulator: StartSimulator = async (options: PbxCdrSimulatorOptions = {}): Promise<RunningSimulator> => {
  const seed = options.seed ?? 2;
  const zone = options.timezone ?? 'Europe/Bucharest';
  const pageSize = options.pageSize ?? 100;
  const dialect = pickDialect(PBX_CDR_DIALECTS, options.dialect, 'pbx-cdr');
  const firstPage = dialect === 'zero-based' ? 0 : 1;
  // Errors in HTTP 200 with has_error (the dialect that also wants `action`), else in 4xx statuses.
  const errStatus = (status: number) => (dialect === 'action-required' ? 200 : status);
  let faults: FaultController | null = null;
  const start = options.start ?? DEFAULT_START;
  const end = options.end ?? DEFAULT_END;
  const count = options.calls ?? 500;
  const data = new PbxData(zone, seed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(data.rand() * 16).toString(16)).join('');
  const secrets = { token: `w1-${hex(32)}`, apiKey: `k${hex(24)}` };

  // Start times: mostly spread over the range (office hours weighted), some pinned into each repeated hour.
  const overlaps = overlapRanges(zone, start, end);
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    let t: number;
    if (overlaps.length && i % 25 === 0) {
      const [a, b] = overlaps[i % overlaps.length]!;
      t = a + data.rand() * (b - a);
    } else {
      t = start + data.rand() * (end - start);
    }
    starts.push(Math.floor(t / 1000) * 1000);
  }
  starts.sort((a, b) => a - b);
  data.add(starts.map((s) => data.make(s)));

  // Filtered + sorted row lists, cached per filter set until the data changes.
  const cache = new Map<string, SimCall[]>();
  let cacheVersion = data.version;

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => {
    if (url.pathname.replace(/\/+$/, '') !== '/api/cdr') {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const raw = await readRequestBody(req);
    let params: Record<string, unknown>;
    if (req.method === 'GET') params = parsePhpQuery(url.search.slice(1));
    else if (/application\/json/i.test(String(req.headers['content-type'] ?? ''))) {
      try {
        params = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        sendJson(res, 400, errorBody(['Invalid JSON body']), fault);
        return;
      }
    } else params = parsePhpQuery(raw);

    const auth = String(req.headers.authorization ?? '');
    if (auth !== `Bearer ${secrets.token}`) {
      sendJson(res, errStatus(401), errorBody([auth ? 'Invalid API token' : 'Missing Authorization header']), fault);
      return;
    }
    const { api_hash: apiHash, ...rest } = params;
    const expectedHash = createHash('md5').update(httpBuildQuery(rest as Record<string, PhpValue>) + secrets.apiKey).digest('hex');
    if (apiHash !== expectedHash) {
      sendJson(res, errStatus(403), errorBody([apiHash ? 'Invalid api_hash' : 'Missing api_hash']), fault);
      return;
    }
    if (dialect === 'action-required' && params.action !== 'read') {
      sendJson(res, 200, errorBody([`Invalid action: ${String(params.action ?? '')}`]), fault);
      return;
    }
    const filters = (params.filters ?? {}) as Record<string, unknown>;
    if (typeof filters !== 'object' || Array.isArray(filters)) {
      sendJson(res, 200, errorBody(['Invalid filters']), fault);
      return;
    }
    for (const k of Object.keys(filters)) {
      if (!(PBX_FILTER_KEYS as readonly string[]).includes(k)) {
        sendJson(res, 200, errorBody([`Invalid filter: ${k}`]), fault);
        return;
      }
    }
    const between = filters.date_between == null || filters.date_between === '' ? null : asList(filters.date_between);
    if (between && (between.length !== 2 || !between.every((x) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(x)))) {
      sendJson(res, 200, errorBody(['Invalid filter: date_between']), fault);
      return;
    }
    const fromIdText = filters.from_id == null || filters.from_id === '' ? null : String(filters.from_id);
    if (fromIdText !== null && !/^\d+$/.test(fromIdText)) {
      sendJson(res, 200, errorBody(['Invalid filter: from_id']), fault);
      return;
    }
    const page = params.page === undefined || params.page === '' ? firstPage : Number(params.page);
    if (!Number.isInteger(page) || page < firstPage) {
      sendJson(res, 200, errorBody(['Invalid page']), fault);
      return;
    }

    if (cacheVersion !== data.version) {
      cache.clear();
      cacheVersion = data.version;
    }
    const key = JSON.stringify([between, fromIdText, filters.direction ?? null, filters.call_status ?? null, filters.telephone ?? null, filters.uniqueid ?? null]);
    let rows = cache.get(key);
    if (!rows) {
      const wall = (v: unknown, end: boolean) => {
        const t = String(v);
        return t.length === 10 ? `${t} ${end ? '23:59:59' : '00:00:00'}` : t.length === 16 ? `${t}:${end ? '59' : '00'}` : t;
      };
      const lo = between ? wall(between[0], false) : null;
      const hi = between ? wall(between[1], true) : null;
      const fromId = fromIdText === null ? null : Number(fromIdText);
      rows = data.calls
        .filter((c) => {
          const r = c.row;
          if (lo !== null && (r.time as string) < lo) return false;
          if (hi !== null && (r.time as string) > hi) return false;
          if (fromId !== null && c.id < fromId) return false;
          if (filters.direction && r.direction !== filters.direction) return false;
          if (filters.call_status && r.call_status !== filters.call_status) return false;
          if (filters.telephone && r.source !== filters.telephone && r.destination !== filters.telephone) return false;
          if (filters.uniqueid && r.uniqueid !== filters.uniqueid) return false;
          return true;
        })
        .sort((x, y) => x.id - y.id);
      cache.set(key, rows);
    }
    const rowCount = rows.length;
    const pages = Math.ceil(rowCount / pageSize);
    const at = faults!.pagedStart((page - firstPage) * pageSize);
    const slice = faults!.visible(rows, pageSize).slice(at, at + pageSize);
    // The page it served: a server that ignores `page` says so.
    const served = faults!.paging.ignoreOffset ? firstPage : page;
    const pagination =
      dialect === 'no-counts'
        ? { row_count: 0, page_size: pageSize, current_page: 0, max_page: 0 }
        : dialect === 'zero-based'
          ? { row_count: rowCount, page_size: pageSize, current_page: served, max_page: Math.max(0, pages - 1) }
          : { row_count: rowCount, page_size: pageSize, current_page: rowCount ? served : 0, max_page: pages };
    const text = `{"has_error":false,"messages":[],"pagination":${JSON.stringify(pagination)},"results":[${slice.map((c) => c.json).join(',')}]}`;
    sendJson(res, 200, null, fault, text);
  };

  const server = await startSimServer(handler, { port: options.port, faults: options.faults, pathPrefix: options.pathPrefix ?? '/pbx', latencyMs: options.latencyMs });
  faults = server.faults;

  return {
    provider: 'pbx-cdr',
    dialect,
    baseUrl: server.baseUrl,
    secrets,
    timezone: zone,
    get expected() {
      return data.calls.map(expectedOf);
    },
    ids: [],
    unknownIds: [],
    faults: server.faults,
    mutate(change, n) {
      if (change === 'add') {
        let t = data.calls.reduce((max, c) => Math.max(max, c.startMs), start);
        const made = [];
        for (let i = 0; i < n; i++) {
          t += (30 + Math.floor(data.rand() * 600)) * 1000;
          made.push(data.make(t));
        }
        return data.add(made).map(expectedOf);
      }
      // Late edits a PBX makes to a recent CDR: a transcription arrives, an agent adds a comment, the recording
      // is published. Only calls within the edit margin before the newest one (what the adapter reads again), and
      // at least one: the newest calls.
      const newest = data.calls.reduce((max, c) => Math.max(max, c.startMs), -Infinity);
      const recent = data.calls.filter((c) => c.startMs >= newest - PBX_EDIT_MARGIN_MS + 60_000 && c.row.comments === null);
      const chosen = recent.slice(-n);
      for (const c of chosen) {
        c.row.comments = `Revenire solicitată de client (${data.pick(CUSTOMERS)})`;
        c.row.transcription_text = c.row.transcription_text ?? data.pick(TRANSCRIPTS);
        if (c.row.recording_file && !c.row.recording_url) c.row.recording_url = `https://pbx.example.ro/recordings/${c.row.uniqueid}.wav`;
        data.touch(c);
      }
      return chosen.map(expectedOf);
    },
    close: () => server.close(),
  };
};
