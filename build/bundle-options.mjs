// esbuild options of the data host's bundle (build/bundle-electron.mjs), shared with test/export/bundle.test.ts,
// test/sync/writer.test.ts and test/host/reader.test.ts, which bundle the parallel CSV export and the sync writer the same way to check
// that their worker threads are found beside the bundle.
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Node's type stripping lets sources import './x.ts'; esbuild resolves those as written.
  resolveExtensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
};

// CommonJS has no import.meta: the data host's import.meta.url becomes its bundle's own file URL, so files found
// relative to it (the export worker) are looked for in dist-electron/.
export const metaUrl = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/** The CSV export's worker thread: export/csv-parallel.ts looks for it beside the data host's bundle. */
export const exportWorker = { entryPoints: ['electron/data/export/csv-worker.ts'], file: 'export-worker.cjs' };

/** The sync writer thread: sync/writer.ts looks for it beside the data host's bundle. */
export const syncWriterWorker = { entryPoints: ['electron/data/sync/writer-worker.ts'], file: 'sync-writer-worker.cjs' };

/** The read thread: host/reader.ts looks for it beside the data host's bundle. */
export const readWorker = { entryPoints: ['electron/data/host/reader-worker.ts'], file: 'read-worker.cjs' };
