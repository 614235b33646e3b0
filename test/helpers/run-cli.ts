// The one way tests run `cdr-desk` as a real child process. `runCliAsync` keeps the test's event loop free, so
// simulators in the test's own process go on answering the child; `runCli` blocks, for commands that need no
// server in this process. The child's environment is this process's plus `env`.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

export const CLI_BIN = join(import.meta.dirname, '../../bin/cdr-desk.js');

export interface CliRun {
  status: number | null;
  /** The signal that ended the child (e.g. SIGKILL from `killWhen`), null when it exited by itself. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliAsyncOptions {
  /** SIGKILL the child as soon as this holds; polled every 5 ms from the spawn until the child ends. */
  killWhen?: () => boolean;
  /** Called with each chunk of stderr as it arrives (the whole is still in the result). */
  onStderr?: (chunk: string) => void;
  /** Working directory of the child (default: this process's). */
  cwd?: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): CliRun {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}, options: CliAsyncOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const spawnOptions: SpawnOptions = { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd };
    const child: ChildProcess = spawn(process.execPath, [CLI_BIN, ...args], spawnOptions);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onStderr?.(d);
    });
    let timer: NodeJS.Timeout | undefined;
    const { killWhen } = options;
    if (killWhen) {
      timer = setInterval(() => {
        if (!killWhen()) return;
        clearInterval(timer);
        child.kill('SIGKILL');
      }, 5);
    }
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearInterval(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
