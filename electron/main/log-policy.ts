// How the app's log is kept, applied to an electron-log logger (electron-log/main in the app, electron-log/node in
// tests; no Electron import here): the file rotates at a size cap, and every line, on every transport, is run
// through the redaction after it is formatted, so an Error's stack or an object is masked as well as a string.
import { redactLine } from './redact.ts';

/** The log file is renamed to main.old.log when it passes this size: at most two files, ~2 × this on disk. */
export const LOG_MAX_BYTES = 2 * 1024 * 1024;

type Transform = (input: { data: unknown }) => unknown;

interface TransportLike {
  transforms: Transform[];
  level: string | false;
}

export interface LoggerLike {
  transports: { file: TransportLike & { maxSize: number }; console: TransportLike };
}

export function applyLogPolicy(logger: LoggerLike, options: { consoleLevel?: string | false } = {}): void {
  const { file, console } = logger.transports;
  file.level = 'info';
  file.maxSize = LOG_MAX_BYTES;
  if (options.consoleLevel !== undefined) console.level = options.consoleLevel;
  for (const transport of [file, console]) {
    if (transport.transforms.some((t) => t === redactTransform)) continue;
    transport.transforms = [...transport.transforms, redactTransform];
  }
}

const redactTransform: Transform = ({ data }) => redactLine(data);
