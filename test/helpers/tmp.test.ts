// The test folders' cleanup (tmp.ts) against what once made CI fail: files still being added to a folder while it
// is removed (ENOTEMPTY), as an unused sync writer thread, closing after its test file ended, added its -wal file.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { removeFolder, tempDir } from './tmp.ts';

/** A thread that adds files to `dir` for `ms`, from the moment this resolves. */
async function keepAddingFiles(dir: string, ms: number): Promise<Worker> {
  const source = `
    const { writeFileSync } = require('node:fs');
    const { parentPort, workerData } = require('node:worker_threads');
    parentPort.postMessage('adding');
    const end = Date.now() + workerData.ms;
    for (let n = 0; Date.now() < end; n++) {
      try { writeFileSync(workerData.dir + '/file-' + (n % 20), 'x'); } catch { /* the folder is gone */ }
    }`;
  const worker = new Worker(source, { eval: true, workerData: { dir, ms } });
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

describe('removeFolder', () => {
  it('removes a folder that another thread is still adding files to, once it stops', async () => {
    const dir = tempDir('cdr-desk-busy-');
    const adder = await keepAddingFiles(dir, 300);
    const exited = new Promise((resolve) => adder.once('exit', resolve));
    await removeFolder(dir);
    await exited;
    expect(existsSync(dir)).toBe(false);
  });
});
