// One log for the app, through electron-log (file in the OS's log folder + console). We log channel names and
// one-line errors, never payloads; log-policy.ts caps the file's size and masks anything shaped like a secret
// on every line. Crash reports (crashReporter, no upload) are written beside the log, in crashes/.
import log from 'electron-log/main';
import { dirname, join } from 'node:path';
import { applyLogPolicy } from './log-policy.ts';

export function setUpLog(): typeof log {
  // No log.initialize(): it would add electron-log's own preload to the session, and the renderer must get
  // window.api and nothing else. Failed calls are logged by the router, by channel and one-line error.
  applyLogPolicy(log as unknown as Parameters<typeof applyLogPolicy>[0]);
  return log;
}

export function logFolder(): string {
  return dirname(log.transports.file.getFile().path);
}

/** Where Electron's crashReporter writes its minidumps: inside the log folder, so one folder holds both. */
export function crashFolder(): string {
  return join(logFolder(), 'crashes');
}

export { log };
