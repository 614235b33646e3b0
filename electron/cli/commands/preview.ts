// `cdr-desk preview [--port P]`: the desktop UI in a browser, over the same data layer. Prints the URL (with its
// token) as the first line on stdout, then serves until interrupted.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startPreview } from '../../data/preview/server.ts';
import { untilInterrupted, UsageError, type Command } from '../command.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export const previewCommand: Command = {
  usage: 'cdr-desk preview [--port P] [--renderer DIR]   (port 0 picks a free one; DIR default dist/renderer)',
  async run(ctx, args) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { port: { type: 'string', default: '0' }, renderer: { type: 'string' } }, strict: true }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535');
    const rendererDir = resolve(values.renderer ?? join(REPO, 'dist', 'renderer'));
    if (!existsSync(join(rendererDir, 'index.html'))) {
      throw new Error(`no built renderer in ${rendererDir}: run \`npm run build:renderer\` first`);
    }
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

    const preview = await startPreview({ ws: ctx.workspace(), rendererDir, port, version, log: (l) => ctx.io.stderr(`${l}\n`) });
    ctx.io.stdout(`${preview.url}\n`);
    ctx.io.stderr(`serving ${rendererDir} with data from ${ctx.dataDir}; Ctrl+C stops\n`);

    await untilInterrupted();
    await preview.close();
    return 0;
  },
};
