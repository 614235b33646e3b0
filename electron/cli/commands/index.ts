// Every subcommand, in the order --help lists them. Each is loaded only when it runs, so `--help` and light
// commands do not pay for the modules of heavy ones (spreadsheet writers, simulators, the preview server).
import type { Command } from '../command.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'accounts', summary: 'add, list, edit or remove provider accounts', load: async () => (await import('./accounts.ts')).accountsCommand },
  { name: 'sync', summary: 'fetch new and changed calls from providers into the cache', load: async () => (await import('./sync.ts')).syncCommand },
  { name: 'search', summary: 'search cached calls offline', load: async () => (await import('./search.ts')).searchCommand },
  { name: 'summary', summary: 'campaign KPIs by campaign, day, hour, status, agent or account', load: async () => (await import('./summary.ts')).summaryCommand },
  { name: 'alerts', summary: "what moved on each campaign's last day against the same weekday of four weeks", load: async () => (await import('./alerts.ts')).alertsCommand },
  { name: 'rates', summary: "import, list or clear an account's rate card (what the calls cost)", load: async () => (await import('./rates.ts')).ratesCommand },
  { name: 'saved', summary: 'list, save or delete named searches', load: async () => (await import('./saved.ts')).savedCommand },
  { name: 'export', summary: 'export a search to XLSX or CSV for one account', load: async () => (await import('./export.ts')).exportCommand },
  { name: 'doctor', summary: 'check the data folder: integrity, search indexes, schema version, accounts, backups, secrets', load: async () => (await import('./doctor.ts')).doctorCommand },
  { name: 'demo', summary: 'add demo accounts served by built-in provider simulators, and sync them', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'replay', summary: 'serve a capture written by `sync --capture` back on 127.0.0.1, as the provider answered', load: async () => (await import('./replay.ts')).replayCommand },
  { name: 'preview', summary: "serve the app's UI on 127.0.0.1 for a browser (prints the URL with its access token)", load: async () => (await import('./preview.ts')).previewCommand },
];
