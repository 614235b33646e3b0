// The call table's columns: which Cdr field, its label, width, whether the data host can sort on it, and how
// a cell is shown. The column chooser, the table and the detail drawer all read this one list.
import type { Cdr } from '../../../electron/shared/cdr.ts';
import { SORT_FIELDS, type SortField } from '../../../electron/shared/filter.ts';
import { formatDateTime, formatDuration, formatMoney } from './format.ts';
import { t, type MessageKey } from './i18n/index.ts';

export type ColumnId = Exclude<keyof Cdr, 'raw'>;

export interface Column {
  id: ColumnId;
  label: MessageKey;
  width: number;
  sort: SortField | null;
  /** Numbers, ids and phone numbers are shown left-to-right even in Persian. */
  ltr: boolean;
  numeric: boolean;
  text: (row: Cdr) => string;
}

function column(id: ColumnId, width: number, text: (row: Cdr) => string, opts: { ltr?: boolean; numeric?: boolean } = {}): Column {
  const sort = (SORT_FIELDS as readonly string[]).includes(id) ? (id as SortField) : null;
  return { id, label: `field.${id}` as MessageKey, width, sort, ltr: opts.ltr ?? false, numeric: opts.numeric ?? false, text };
}

const plain = (v: string | null) => v ?? '';

export const COLUMNS: Column[] = [
  column('startedAt', 170, (r) => formatDateTime(r.startedAt)),
  column('account', 130, (r) => r.account),
  column('campaign', 160, (r) => plain(r.campaign)),
  column('direction', 90, (r) => (r.direction ? t(`direction.${r.direction}`) : '')),
  column('source', 130, (r) => plain(r.source), { ltr: true }),
  column('destination', 130, (r) => plain(r.destination), { ltr: true }),
  column('contact', 150, (r) => plain(r.contact)),
  column('status', 110, (r) => t(`status.${r.status}`)),
  column('durationSec', 80, (r) => formatDuration(r.durationSec), { numeric: true }),
  column('billSec', 80, (r) => formatDuration(r.billSec), { numeric: true }),
  column('agent', 120, (r) => plain(r.agent)),
  column('callId', 150, (r) => r.callId, { ltr: true }),
  column('providerStatus', 120, (r) => plain(r.providerStatus)),
  column('answeredAt', 170, (r) => formatDateTime(r.answeredAt)),
  column('endedAt', 170, (r) => formatDateTime(r.endedAt)),
  column('keypress', 80, (r) => plain(r.keypress), { ltr: true }),
  column('recording', 160, (r) => plain(r.recording), { ltr: true }),
  column('provider', 120, (r) => r.provider),
  column('cost', 100, (r) => formatMoney(r.cost, r.currency), { numeric: true }),
];

export const DEFAULT_VISIBLE: ColumnId[] = ['startedAt', 'account', 'campaign', 'direction', 'source', 'destination', 'contact', 'status', 'durationSec', 'billSec', 'agent'];

const STORAGE_KEY = 'cdr-desk.columns';
const WIDTHS_KEY = 'cdr-desk.column-widths';
/** Narrowest a user may make a column, in pixels. */
export const MIN_COLUMN_WIDTH = 48;

/** Widths the user set by dragging a column's edge, by column id. */
export function loadColumnWidths(): Partial<Record<ColumnId, number>> {
  try {
    const saved = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? 'null') as unknown;
    if (!saved || typeof saved !== 'object') return {};
    const out: Partial<Record<ColumnId, number>> = {};
    for (const [id, w] of Object.entries(saved)) {
      if (COLUMNS.some((c) => c.id === id) && typeof w === 'number' && Number.isFinite(w)) out[id as ColumnId] = Math.max(MIN_COLUMN_WIDTH, Math.round(w));
    }
    return out;
  } catch {
    return {};
  }
}

export function saveColumnWidths(widths: Partial<Record<ColumnId, number>>): void {
  try {
    localStorage.setItem(WIDTHS_KEY, JSON.stringify(widths));
  } catch {
    // Not fatal: the widths hold for this session.
  }
}

export function loadVisibleColumns(): ColumnId[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (Array.isArray(saved)) {
      const ids = saved.filter((id): id is ColumnId => COLUMNS.some((c) => c.id === id));
      if (ids.length) return ids;
    }
  } catch {
    // Fall back to the defaults.
  }
  return [...DEFAULT_VISIBLE];
}

export function saveVisibleColumns(ids: ColumnId[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    // Not fatal: the choice holds for this session.
  }
}
