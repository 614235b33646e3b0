// `cdr-desk doctor`: checks the data folder (integrity, search indexes, schema version, accounts, backups,
// secret store) without changing it. Exit 0 when all is well, 1 with one stderr line per problem.
import { runDoctor } from '../../data/doctor/doctor.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';

const USAGE = `cdr-desk doctor [--json]

  Checks PRAGMA integrity_check and foreign_key_check, both full-text indexes against the calls, the schema
  version against this CDR Desk, calls / last sync / last error / last sync's own check per account, migration backups and where secrets
  are kept. Nothing is changed (no migration runs). Exit 1 when something is wrong, one line per problem.`;

async function run(ctx: CommandContext, args: string[]): Promise<number> {
  if (args.length) throw new UsageError(`doctor takes no arguments besides --json, got "${args[0]}"\nUsage: ${USAGE}`);
  const report = runDoctor(ctx.dataDir);
  if (ctx.json) printJson(ctx, report);
  else {
    const out: string[] = [
      `data folder     ${report.dataDir}`,
      `database        ${report.database}`,
      `schema version  ${report.schemaVersion.found ?? '-'} (this CDR Desk: ${report.schemaVersion.expected})`,
      `integrity       ${report.integrity.split('\n')[0]}`,
      `foreign keys    ${report.foreignKeyViolations === null ? '-' : report.foreignKeyViolations === 0 ? 'ok' : `${report.foreignKeyViolations} violation(s)`}`,
      `search index    words: ${report.fts.cdrs_fts}; phones: ${report.fts.cdrs_phone}${report.searchTail ? `; ${report.searchTail} newest calls not yet indexed (searched one by one; indexed when the sync ends or the cache opens)` : ''}`,
      `backups         ${report.backups.length ? report.backups.join(', ') : 'none'}`,
      `secrets         ${report.secretStore}`,
      `accounts        ${report.accounts.length}`,
    ];
    for (const a of report.accounts) {
      const check = a.lastVerdict ? `; last check ${a.lastVerdict.status}${a.lastVerdict.status === 'incomplete' ? '' : `: ${a.lastVerdict.text}`}` : '';
      out.push(`  ${a.name} (${a.provider}): ${a.calls} calls; last sync ${a.lastSyncAt ?? 'never'}; last error ${a.lastError ?? 'none'}${check}`);
    }
    out.push(report.ok ? 'ok' : `${report.problems.length} problem(s)`);
    ctx.io.stdout(out.join('\n') + '\n');
  }
  for (const p of report.problems) ctx.io.stderr(`cdr-desk doctor: ${p}\n`);
  return report.ok ? 0 : 1;
}

export const doctorCommand: Command = { usage: USAGE, run };
