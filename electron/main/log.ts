// One log for the app, through electron-log (file in the OS's log folder + console). We log channel names and
// one-line errors, never payloads; the hook masks anything shaped like a secret all the same (redact.ts).
import log from 'electron-log/main';
import { dirname } from 'node:path';
import { redact } from './redact.ts';

export function setUpLog(): typeof log {
  // No log.initialize(): it would add electron-log's own preload to the session, and the renderer must get
  // window.api and nothing else. Failed calls are logged by the router, by channel and one-line error.
  log.transports.file.level = 'info';
  log.hooks.push((message) => ({ ...message, data: message.data.map((d: unknown) => (typeof d === 'string' ? redact(d) : d)) }));
  return log;
}

export function logFolder(): string {
  return dirname(log.transports.file.getFile().path);
}

export { log };
