// `cdr-desk demo [--no-serve] [--json]`: start every provider simulator on 127.0.0.1, add a demo account for
// each, sync them, and keep serving (so later syncs work) until Ctrl-C; --no-serve sets up and exits.
import { parseArgs } from 'node:util';
import { printJson, untilInterrupted, UsageError, type Command } from '../command.ts';
import { ProgressLine, resultJson } from './sync.ts';

const USAGE = `cdr-desk demo [--no-serve] [--json]

  Starts a simulator of every provider API on 127.0.0.1, adds one demo account per provider (no credentials
  needed), syncs them, and keeps the simulators serving until Ctrl-C so that \`cdr-desk sync\` keeps working.
  --no-serve  set up and sync, then stop the simulators and exit`;

export const demoCommand: Command = {
  usage: USAGE,
  async run(ctx, args) {
    let values: { 'no-serve'?: boolean };
    try {
      const parsed = parseArgs({ args, options: { 'no-serve': { type: 'boolean' } }, allowPositionals: false, strict: true });
      values = parsed.values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    // Loaded on demand: the simulators are not needed by any other command.
    const { startDemo } = await import('../../data/demo/demo.ts');
    const ws = ctx.workspace();
    const bar = ctx.io.stderrIsTTY ? new ProgressLine(ctx.io) : null;
    const session = await startDemo(ws, { onProgress: bar ? (p) => bar.update(p) : undefined });
    bar?.clear();
    const failed = session.accounts.filter((a) => a.sync.error);
    if (ctx.json) {
      printJson(ctx, {
        accounts: session.accounts.map((a) => ({ ...resultJson(a.sync), provider: a.provider, baseUrl: a.baseUrl, timezone: a.timezone })),
        serving: !values['no-serve'],
      });
    } else {
      ctx.io.stdout(`Demo accounts (data folder ${ctx.dataDir}):\n`);
      for (const a of session.accounts) {
        const s = a.sync;
        const what = s.error ? `failed: ${s.error}` : `${s.fetched} calls fetched, ${s.inserted} new, ${s.updated} updated${s.notFound ? `, ${s.notFound} ids not found` : ''}`;
        ctx.io.stdout(`  ${a.name}  ${a.provider}  ${a.baseUrl}  ${a.timezone}  ${what}\n`);
      }
    }
    for (const a of failed) ctx.io.stderr(`cdr-desk: ${a.sync.error}\n`);
    if (values['no-serve']) {
      await session.close();
      return failed.length ? 1 : 0;
    }
    ctx.io.stderr('Simulators are serving on 127.0.0.1; try `cdr-desk sync` or `cdr-desk search` in another terminal. Ctrl-C stops them.\n');
    await untilInterrupted();
    await session.close();
    return failed.length ? 1 : 0;
  },
};
