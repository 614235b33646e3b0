// Realistic synthetic calls, fast and reproducible (seeded): names and campaigns in Vietnamese, Persian, Romanian
// and English with their real diacritics and letter variants, phone numbers in the formats providers send, call
// times shaped by office hours in each account's zone, and a plausible mix of statuses. Written through the real
// CdrWriter, so the search indexes fill exactly as in a sync. Used by search/summary/export tests and benchmarks.
import type { NormalizedCdr, CallStatus } from '../../electron/shared/cdr.ts';
import type { ProviderId } from '../../electron/shared/providers.ts';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { seededRng } from '../../electron/data/providers/simulation/random.ts';
import { offsetMinutesAt } from '../../electron/data/time/zone.ts';
import type { Workspace } from '../../electron/data/workspace.ts';

export type Script = 'vi' | 'fa' | 'ro' | 'en';

export interface SyntheticAccount {
  name: string;
  provider: ProviderId;
  timezone: string;
  script: Script;
}

export const SYNTHETIC_ACCOUNTS: readonly SyntheticAccount[] = [
  { name: 'Saigon Autocall', provider: 'tel4vn-v3', timezone: 'Asia/Ho_Chi_Minh', script: 'vi' },
  { name: 'Tehran Dialer', provider: 'autodialer-v4', timezone: 'Asia/Tehran', script: 'fa' },
  { name: 'Bucharest PBX', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' },
  { name: 'Pune Voice', provider: 'sarv-voice', timezone: 'Asia/Kolkata', script: 'en' },
];

const SECRETS: Record<ProviderId, Record<string, string>> = {
  'autodialer-v4': { apiKey: 'k', username: 'u', password: 'p' },
  'voiceotp-v2': { token: 't' },
  'pbx-cdr': { token: 't', apiKey: 'k' },
  'tel4vn-v3': { token: 't' },
  'sarv-voice': { username: 'u', token: 't' },
};

const NAMES: Record<Script, { first: string[]; last: string[]; campaigns: string[]; agents: string[] }> = {
  vi: {
    first: ['Ngà', 'Hương', 'Đức', 'Thắng', 'Phương', 'Hoàng', 'Trâm', 'Quỳnh', 'Đạt', 'Yến', 'Lưu', 'Nguyệt'],
    last: ['Đỗ Thị', 'Nguyễn Văn', 'Trần Thị', 'Lê Hữu', 'Phạm Minh', 'Võ Thanh', 'Đặng Quốc', 'Bùi Ngọc'],
    campaigns: ['Khuyến mãi Tết', 'Nhắc nợ tháng', 'Chăm sóc khách hàng', 'Giảm 50% gốc', 'Xác nhận đơn hàng', 'Khảo sát dịch vụ'],
    agents: ['Đinh Công Tráng', 'Hồ Thị Thủy', 'Lý Đức Anh', 'Mai Phương Thảo'],
  },
  fa: {
    first: ['علي', 'علی', 'مريم', 'مریم', 'كاوه', 'کاوه', 'زهرا', 'نیلوفر', 'حسین', 'فاطمە'],
    last: ['کریمی', 'كريمي', 'احمدی', 'رضایی', 'موسوي', 'حسینی', 'صادقی', 'کاظمی'],
    campaigns: ['یادآوری قسط', 'نظرسنجی مشتریان', 'تخفیف نوروز ۱۴۰۳', 'پیگیری سفارش', 'اطلاع رسانی بیمه'],
    agents: ['سارا کیانی', 'رضا يوسفي', 'امیر نیک‌نام'],
  },
  ro: {
    first: ['Ștefan', 'Ştefan', 'Țîru', 'Ioana', 'Mădălina', 'Răzvan', 'Bogdan', 'Andreea', 'Cătălin', 'Florența'],
    last: ['Popescu', 'Ionescu', 'Țărănescu', 'Ţepeş', 'Dumitrașcu', 'Stănescu', 'Munteanu', 'Constantinescu'],
    campaigns: ['Reînnoire abonament', 'Ofertă de toamnă', 'Sondaj satisfacție', 'Recuperare plăți', 'Confirmare programări'],
    agents: ['Mihai Vlăduț', 'Elena Șerban', 'Ana Ţuţuianu', 'Radu Neagu'],
  },
  en: {
    first: ['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Sneha', 'Arjun', 'Kavya', 'John', 'Emma'],
    last: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Nair', 'Gupta', 'Smith', 'Brown'],
    campaigns: ['Diwali Offer', 'Payment Reminder', 'OTP Verification', 'Customer Survey', 'Renewal Drive', 'Welcome Call'],
    agents: ['Meera Kapoor', 'Sanjay Rao', 'Deepa Menon'],
  },
};

/** Status mix of an outbound campaign (weights out of 100). */
const STATUS_WEIGHTS: [CallStatus, number][] = [
  ['answered', 45], ['no_answer', 25], ['busy', 10], ['failed', 6], ['congestion', 3], ['invalid_number', 4], ['cancelled', 5], ['unknown', 2],
];
/** Calls per local hour 00..23 (office hours dominate, nights are quiet). */
const HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 2, 5, 9, 12, 12, 11, 8, 9, 11, 11, 10, 8, 6, 4, 3, 2, 1, 1];

/** The simulators' seeded generator, as a bare () => number. */
export const rng = (seed: number): (() => number) => seededRng(seed).next;

function weighted<T>(r: () => number, items: readonly (readonly [T, number])[]): T {
  const sum = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * sum;
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
}

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
  return s;
}

/** A number as this script's providers write them: with/without +country, spaces, dashes, Persian digits. */
function phone(r: () => number, script: Script): string {
  const x = r();
  switch (script) {
    case 'vi': {
      const n = `9${digits(r, 8)}`;
      return x < 0.6 ? `0${n}` : x < 0.9 ? `84${n}` : `+84 ${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5)}`;
    }
    case 'fa': {
      const n = `912${digits(r, 7)}`;
      return x < 0.7 ? `0${n}` : x < 0.9 ? `+98${n}` : `0${n}`.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]!);
    }
    case 'ro': {
      const n = `7${digits(r, 8)}`;
      return x < 0.5 ? `0${n}` : x < 0.8 ? `+40 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : `0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
    }
    case 'en': {
      const n = `9${digits(r, 9)}`;
      return x < 0.5 ? `+91${n}` : x < 0.8 ? `0${n}` : `+91 ${n.slice(0, 5)} ${n.slice(5)}`;
    }
  }
}

export interface SyntheticOptions {
  script: Script;
  timezone: string;
  count: number;
  seed?: number;
  /** Calls are spread over [from, to) epoch ms. */
  from: number;
  to: number;
  /** Prefix of call ids (unique per account). */
  idPrefix?: string;
}

export function* syntheticCdrs(o: SyntheticOptions): Generator<NormalizedCdr> {
  const r = rng(o.seed ?? 1);
  const names = NAMES[o.script];
  const hours = HOUR_WEIGHTS.map((w, h) => [h, w] as const);
  const days = Math.max(1, Math.floor((o.to - o.from) / 86_400_000));
  const offsets = new Map<number, number>(); // zone offset per day: Intl per row would dominate the run time
  const campaigns = names.campaigns.map((name, i) => ({ id: `${o.script}-cmp-${i + 1}`, name }));
  for (let i = 0; i < o.count; i++) {
    const day = Math.floor(r() * days);
    let off = offsets.get(day);
    if (off === undefined) offsets.set(day, (off = offsetMinutesAt(o.timezone, o.from + day * 86_400_000 + 43_200_000)));
    const localMidnight = Math.floor((o.from + off * 60_000) / 86_400_000) * 86_400_000 + day * 86_400_000;
    const startedAt = localMidnight - off * 60_000 + weighted(r, hours) * 3_600_000 + Math.floor(r() * 3_600_000 / 1000) * 1000;
    const status = weighted(r, STATUS_WEIGHTS);
    const ring = status === 'invalid_number' || status === 'congestion' ? 0 : 3 + Math.floor(r() * 27);
    const talk = status === 'answered' ? 5 + Math.floor(-Math.log(1 - r()) * 90) : 0;
    const answeredAt = status === 'answered' ? startedAt + ring * 1000 : null;
    const campaign = campaigns[Math.floor(r() * r() * campaigns.length)]!; // a few campaigns are much bigger
    const customer = `${names.last[Math.floor(r() * names.last.length)]} ${names.first[Math.floor(r() * names.first.length)]}`;
    const outbound = o.script !== 'ro' || r() < 0.7;
    const ours = o.script === 'en' ? '+918069000000' : o.script === 'ro' ? '+40312000000' : '1900';
    const theirs = phone(r, o.script);
    yield {
      callId: `${o.idPrefix ?? o.script}-${(o.seed ?? 1).toString(36)}-${i.toString(36)}`,
      campaignId: campaign.id,
      campaign: campaign.name,
      direction: outbound ? 'out' : 'in',
      source: outbound ? ours : theirs,
      destination: outbound ? theirs : ours,
      status,
      providerStatus: status.toUpperCase(),
      startedAt,
      answeredAt,
      endedAt: startedAt + (ring + talk) * 1000,
      durationSec: ring + talk,
      billSec: talk,
      waitSec: o.script === 'fa' ? null : ring, // the Iranian dialer reports no ring time
      keypress: status === 'answered' && r() < 0.3 ? String(1 + Math.floor(r() * 9)) : null,
      agent: status === 'answered' && o.script !== 'en' ? names.agents[Math.floor(r() * names.agents.length)]! : null,
      recording: status === 'answered' ? `rec/${i}.mp3` : null,
      extraText: customer,
      raw: { customer, note: 'synthetic' },
    };
  }
}

/** Adds an account with placeholder secrets (needs isolatedKeyFile() or CDR_DESK_KEY_FILE). */
export async function addSyntheticAccount(ws: Workspace, a: SyntheticAccount): Promise<number> {
  return (await ws.accounts.add({ name: a.name, provider: a.provider, baseUrl: 'http://127.0.0.1:9', timezone: a.timezone, secrets: SECRETS[a.provider] })).id;
}

/**
 * Writes generated calls through CdrWriter in transactions of `batch` rows; returns how many were inserted.
 */
export function writeSynthetic(ws: Pick<Workspace, 'db'>, accountId: number, rows: Iterable<NormalizedCdr>, batch = 5000): number {
  const writer = new CdrWriter(ws.db);
  const write = ws.db.transaction((chunk: NormalizedCdr[]) => writer.write(accountId, chunk).inserted);
  let inserted = 0;
  let chunk: NormalizedCdr[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= batch) {
      inserted += write(chunk);
      chunk = [];
    }
  }
  if (chunk.length) inserted += write(chunk);
  return inserted;
}

/** Accounts of every script with `perAccount` calls each over [from, to). Returns account ids by name. */
export async function seedWorkspace(ws: Workspace, perAccount: number, from: number, to: number, seed = 1): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [i, a] of SYNTHETIC_ACCOUNTS.entries()) {
    const id = await addSyntheticAccount(ws, a);
    ids.set(a.name, id);
    writeSynthetic(ws, id, syntheticCdrs({ script: a.script, timezone: a.timezone, count: perAccount, seed: seed + i, from, to }));
  }
  return ids;
}

/** One hand-written call: every field defaulted, override what the test is about. */
export function makeCdr(over: Partial<NormalizedCdr> & { callId: string }): NormalizedCdr {
  return {
    campaignId: null, campaign: null, direction: 'out', source: null, destination: null, status: 'answered',
    providerStatus: null, startedAt: null, answeredAt: null, endedAt: null, durationSec: null, billSec: null,
    waitSec: null, keypress: null, agent: null, recording: null, extraText: null, raw: {},
    ...over,
  };
}
