// The export's column headers (CLI.md "Export columns", English, in contract order) and the call field each
// one shows, so the chooser can label them in the user's language while the request names the real header.
import type { ColumnId } from './columns.ts';

export const EXPORT_HEADERS: { header: string; field: ColumnId }[] = [
  { header: 'Call ID', field: 'callId' },
  { header: 'Account', field: 'account' },
  { header: 'Campaign', field: 'campaign' },
  { header: 'Direction', field: 'direction' },
  { header: 'Source', field: 'source' },
  { header: 'Destination', field: 'destination' },
  { header: 'Status', field: 'status' },
  { header: 'Provider status', field: 'providerStatus' },
  { header: 'Started', field: 'startedAt' },
  { header: 'Answered', field: 'answeredAt' },
  { header: 'Ended', field: 'endedAt' },
  { header: 'Duration (s)', field: 'durationSec' },
  { header: 'Billable (s)', field: 'billSec' },
  { header: 'Keypress', field: 'keypress' },
  { header: 'Agent', field: 'agent' },
  { header: 'Recording', field: 'recording' },
  { header: 'Contact', field: 'contact' },
  { header: 'Cost', field: 'cost' },
  { header: 'Currency', field: 'currency' },
];
