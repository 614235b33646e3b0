// `cdr-desk replay DIR [--port P]`: serves one account's capture folder (written by `sync --capture`) on
// 127.0.0.1 as the provider answered it, for reproducing a user's sync or re-recording a capture. Prints the base
// URL as the first line on stdout, then serves until interrupted; on exit, stderr says what was not matched.
import { parseArgs } from 'node:util';
import { startReplayServer } from '../../data/providers/simulation/replay.ts';
import { untilInterrupted, UsageError, type Command } from '../command.ts';

export const replayCommand: Command = {
  usage: `cdr-desk replay DIR [--port P]   (DIR: one account's folder of a capture; port 0 picks a free one)

  Add an account with --base-url set to the printed URL and the capture's provider (DIR/account.json), any
  secrets, and sync it: each request gets the captured answer (docs/providers/capture-and-replay.md).`,
  async run(ctx, args) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { port: { type: 'string', default: '0' } }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [dir, ...extra] = parsed.positionals;
    if (!dir || extra.length) throw new UsageError('replay takes exactly one capture folder');
    const port = Number(parsed.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535');
    const replay = await startReplayServer(dir, { port });
    const about = replay.capture.about;
    ctx.io.stdout(`${replay.baseUrl}\n`);
    ctx.io.stderr(`replaying ${replay.capture.exchanges.length} exchanges${about ? ` of ${about.provider} account "${about.account}" (zone ${about.timezone})` : ''}; Ctrl+C stops\n`);
    await untilInterrupted();
    await replay.close();
    ctx.io.stderr(
      `served ${replay.served} (${replay.loose} by method and path only), ${replay.misses.length} without a captured answer, ` +
        `${replay.abandoned} given up by the client, ${replay.unserved().length} exchanges unused\n`,
    );
    for (const m of replay.misses) ctx.io.stderr(`  no answer for ${m}\n`);
    return 0;
  },
};
