// A sync stand-in for the snapshot test (parallel.test.ts): commits calls w000000, w000001 ... one transaction
// each, a few milliseconds apart, their start times alternating between before and after the fixture's (so they
// fall into the first and the last part of a parallel export), until killed. Prints "writing" after the first.
// node test/export/insert-loop.ts DATA_DIR ACCOUNT_ID EARLY_MS LATE_MS
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { call } from './fixture.ts';

const [dir, accountId, early, late] = process.argv.slice(2);
const ws = openWorkspace(dir!);
const writer = new CdrWriter(ws.db);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; ; i++) {
  const startedAt = (i % 2 ? Number(late) : Number(early)) + i;
  writer.write(Number(accountId), [call(`w${String(i).padStart(6, '0')}`, { startedAt })]);
  if (i === 0) process.stdout.write('writing\n');
  Atomics.wait(pause, 0, 0, 2);
}
