// The export columns of CLI.md ("Export columns"), in contract order: header text, kind, width and the stored
// column it shows (rows.ts reads only those), written once for both writers. The kind decides the cell: text (ids, numbers, names: never parsed as a number or formula),
// time (an instant shown as the wall time of the export's zone), seconds (a plain number), money (an amount: a plain
// decimal in CSV, a number cell in the currency's format in XLSX).
import { UserError } from '../errors.ts';

export type ColumnKind = 'text' | 'time' | 'seconds' | 'money';

export interface ExportColumn {
  header: string;
  kind: ColumnKind;
  /** Spreadsheet column width, in characters. */
  width: number;
  /** The cdrs column shown (text → string, time → epoch ms, seconds → number); account_id is shown by name. */
  field: string;
  /** A text of few distinct values (names, statuses): XLSX writes it once, in the shared-string table. */
  repeats?: boolean;
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'Call ID', kind: 'text', width: 24, field: 'call_id' },
  { header: 'Account', kind: 'text', width: 20, field: 'account_id', repeats: true },
  { header: 'Campaign', kind: 'text', width: 26, field: 'campaign', repeats: true },
  { header: 'Direction', kind: 'text', width: 10, field: 'direction', repeats: true },
  { header: 'Source', kind: 'text', width: 17, field: 'source' },
  { header: 'Destination', kind: 'text', width: 17, field: 'destination' },
  { header: 'Status', kind: 'text', width: 15, field: 'status', repeats: true },
  { header: 'Provider status', kind: 'text', width: 18, field: 'provider_status', repeats: true },
  { header: 'Started', kind: 'time', width: 20, field: 'started_at' },
  { header: 'Answered', kind: 'time', width: 20, field: 'answered_at' },
  { header: 'Ended', kind: 'time', width: 20, field: 'ended_at' },
  { header: 'Duration (s)', kind: 'seconds', width: 13, field: 'duration_sec' },
  { header: 'Billable (s)', kind: 'seconds', width: 13, field: 'bill_sec' },
  { header: 'Keypress', kind: 'text', width: 10, field: 'keypress', repeats: true },
  { header: 'Agent', kind: 'text', width: 22, field: 'agent', repeats: true },
  { header: 'Recording', kind: 'text', width: 40, field: 'recording' },
  { header: 'Contact', kind: 'text', width: 24, field: 'contact' },
  // Stored in units of 1/10,000 (costs/money.ts): the quotient's double prints back as that exact decimal.
  { header: 'Cost', kind: 'money', width: 12, field: 'cost / 10000.0' },
  { header: 'Currency', kind: 'text', width: 10, field: '(SELECT currency FROM account_billing b WHERE b.account_id = cdrs.account_id AND cdrs.cost IS NOT NULL)', repeats: true },
];

/** The columns to write: all by default, else the named headers in the order given (case-insensitive). */
export function selectColumns(headers: readonly string[] | undefined, account?: string): ExportColumn[] {
  if (!headers || headers.length === 0) return [...EXPORT_COLUMNS];
  return headers.map((h) => {
    const col = EXPORT_COLUMNS.find((c) => c.header.toLowerCase() === h.trim().toLowerCase());
    if (!col) throw new UserError(`unknown export column "${h}" (known: ${EXPORT_COLUMNS.map((c) => c.header).join(', ')})`, account);
    return col;
  });
}

/**
 * CSV formula neutralization. A text cell that starts with =, +, -, @, tab or CR would be run as a formula (or
 * DDE command) by Excel, LibreOffice and Google Sheets when the CSV is opened, so it gets a leading single quote.
 * The rule is applied without exception, phone numbers included: "+40700000000" is written '+40700000000, which
 * a person still reads as that number (the XLSX export keeps it exactly, as a text cell). Numbers (seconds) and
 * times never start with these characters and are left alone.
 */
export function neutralizeFormula(text: string): string {
  const c = text.charCodeAt(0);
  // = + - @ tab CR
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) return "'" + text;
  return text;
}
