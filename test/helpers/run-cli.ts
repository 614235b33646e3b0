// The one way tests run `cdr-desk` as a real child process. `runCliAsync` keeps the test's event loop free, so
// simulators in the test's own process go on answering the child; `runCli` and `runCliOk` block, for commands that
// need no server in this process; `startCli` hands back a child still running (a server, or a run the test kills).
// The child's environment is this process's plus `env`.
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
  /** The child gets only `env`, not this process's environment too (a job run by cron or a scheduler). */
  onlyEnv?: boolean;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The stdout of a blocking run that must succeed; throws, quoting stderr, when it does not (as execFileSync). */
export function runCliOk(args: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}): string {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: options.cwd });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`cdr-desk ${args.join(' ')} ended (${r.signal ?? r.status}): ${r.stderr}`);
  return r.stdout;
}

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}, options: CliAsyncOptions = {}): Promise<CliRun> {
  return startCli(args, env, options).done;
}

/** A `cdr-desk` child still running: a server (preview, replay) or a command the test ends at a moment it picks. */
export interface RunningCli {
  child: ChildProcess;
  /** The first stdout line (a server's URL); rejects, quoting stderr, if the child ends before printing one. */
  firstLine: Promise<string>;
  /** Everything the child wrote and how it ended, once it has. */
  done: Promise<CliRun>;
  /** What the child has written to stderr so far. */
  stderr(): string;
  /** Sends `signal` unless the child has already ended, then waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<CliRun>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, options: CliAsyncOptions = {}): RunningCli {
  const spawnOptions: SpawnOptions = { env: options.onlyEnv ? env : { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd };
  const child: ChildProcess = spawn(process.execPath, [CLI_BIN, ...args], spawnOptions);
  let stdout = '';
  let stderr = '';
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let lineFound: (line: string) => void;
  let noLine: (e: Error) => void;
  const firstLine = new Promise<string>((resolve, reject) => {
    lineFound = resolve;
    noLine = reject;
  });
  firstLine.catch(() => {}); // a test that never asks for it must not see an unhandled rejection
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const end = stdout.indexOf('\n');
    if (end >= 0) lineFound(stdout.slice(0, end).trim());
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    options.onStderr?.(d);
  });
  const { killWhen } = options;
  if (killWhen) {
    timer = setInterval(() => {
      if (!killWhen()) return;
      clearInterval(timer);
      child.kill('SIGKILL');
    }, 5);
  }
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', (e) => {
      clearInterval(timer);
      noLine(e);
      reject(e);
    });
    child.on('close', (status, signal) => {
      ended = true;
      clearInterval(timer);
      if (!stdout.includes('\n') && stdout.trim() !== '') lineFound(stdout.trim());
      noLine(new Error(`cdr-desk ${args.join(' ')} ended (${signal ?? status}) before printing a line: ${stderr}`));
      resolve({ status, signal, stdout, stderr });
    });
  });
  return {
    child,
    firstLine,
    done,
    stderr: () => stderr,
    stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return done;
    },
  };
}
