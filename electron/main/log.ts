// One log for the app, through electron-log (file in the OS's log folder + console). We log channel names and
// one-line errors, never payloads; the hook below is a second line of defence that masks anything shaped like a
// secret (key=value or "key":"value" for token/apiKey/password/secret/authorization).
import log from 'electron-log/main';
import { dirname } from 'node:path';

const SECRET_SHAPE = /((?:token|api[-_]?key|password|secret|authorization|bearer)["']?\s*[:=]\s*["']?)([^"'\s,;&}]+)/gi;

export function redact(text: string): string {
  return text.replace(SECRET_SHAPE, '$1***');
}

export function setUpLog(): typeof log {
  log.initialize();
  log.transports.file.level = 'info';
  log.hooks.push((message) => ({ ...message, data: message.data.map((d: unknown) => (typeof d === 'string' ? redact(d) : d)) }));
  return log;
}

export function logFolder(): string {
  return dirname(log.transports.file.getFile().path);
}

export { log };
