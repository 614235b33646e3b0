// The app's log policy on a real electron-log logger (its plain-Node build, the same file transport the app's
// main process uses): the file rotates at its size cap, and no line reaches the file or the console unredacted,
// whatever was logged (a string, an Error with its stack, an object).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLogPolicy, LOG_MAX_BYTES, type LoggerLike } from '../../electron/main/log-policy.ts';
import { tempDir } from '../helpers/tmp.ts';

const require = createRequire(import.meta.url);

interface NodeLogger extends LoggerLike {
  create(options: { logId: string }): NodeLogger;
  info(...args: unknown[]): void;
  error(...args: unknown[]): void;
  transports: LoggerLike['transports'] & {
    file: LoggerLike['transports']['file'] & { resolvePathFn: () => string; getFile(): { path: string } };
    console: LoggerLike['transports']['console'] & { writeFn: (m: { message: unknown; data?: unknown }) => void };
  };
}

function logger(id: string): { log: NodeLogger; file: string; consoleLines: unknown[] } {
  const log = (require('electron-log/node') as NodeLogger).create({ logId: id });
  const file = join(tempDir('cdr-desk-log-'), 'main.log');
  log.transports.file.resolvePathFn = () => file;
  const consoleLines: unknown[] = [];
  log.transports.console.writeFn = ({ message, data }) => consoleLines.push(data ?? message);
  applyLogPolicy(log);
  return { log, file, consoleLines };
}

describe('log policy', () => {
  it('masks secrets in strings, Error stacks and objects, in the file and on the console', () => {
    const { log, file, consoleLines } = logger('redaction');
    log.info('sync failed: token=tok-SECRET-1 for account "Hanoi"');
    log.error(new Error('HTTP 401 for https://u:pw-SECRET-2@pbx.example.ro with Authorization: Bearer SECRET-3'));
    log.info('answer', { apiKey: 'SECRET-4', name: 'Bucharest' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('account "Hanoi"');
    expect(text).toContain('Bucharest');
    expect(text).toContain('at '); // the Error's stack was written, redacted
    for (const secret of ['tok-SECRET-1', 'pw-SECRET-2', 'SECRET-3', 'SECRET-4']) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(consoleLines)).not.toContain(secret);
    }
    expect(consoleLines.length).toBeGreaterThan(0);
  });

  it('rotates the file at the size cap: at most the current file and one old one', () => {
    const { log, file } = logger('rotation');
    const line = `sync progress ${'x'.repeat(200)} password=hunter2`;
    const lines = Math.ceil((2.5 * LOG_MAX_BYTES) / line.length);
    for (let i = 0; i < lines; i++) log.info(line);
    const old = file.replace(/main\.log$/, 'main.old.log');
    expect(existsSync(old)).toBe(true);
    // A file is rotated once a line has taken it past the cap: it ends within one line of it.
    for (const f of [file, old]) expect(statSync(f).size).toBeLessThanOrEqual(LOG_MAX_BYTES + 1024);
    expect(readFileSync(old, 'utf8')).not.toContain('hunter2');
    expect(readFileSync(file, 'utf8')).toContain('password=***');
  });

  it('is applied once however often it is called', () => {
    const { log } = logger('twice');
    const before = log.transports.file.transforms.length;
    applyLogPolicy(log);
    expect(log.transports.file.transforms.length).toBe(before);
  });
});
