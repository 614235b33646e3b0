// Bundles the Electron side into dist-electron/: main.cjs, preload.cjs, data-host.cjs and export-worker.cjs (CommonJS, which
// Electron's main, sandboxed preloads and utility processes all load). npm packages stay external for main and
// the data host (electron-builder ships the production node_modules; better-sqlite3's *.node is unpacked from the
// asar); the preload runs sandboxed, where only 'electron' can be required, so everything else is bundled into it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist-electron`;
rmSync(out, { recursive: true, force: true });

const common = {
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
const metaUrl = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: `${out}/main.cjs`, packages: 'external' }),
  build({ ...common, entryPoints: ['electron/data/host/entry.ts'], outfile: `${out}/data-host.cjs`, packages: 'external', ...metaUrl }),
  // The CSV export's worker thread (export/csv-parallel.ts finds it beside data-host.cjs).
  build({ ...common, entryPoints: ['electron/data/export/csv-worker.ts'], outfile: `${out}/export-worker.cjs`, packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: `${out}/preload.cjs`, external: ['electron'], platform: 'browser', minify: true }),
]);
console.log('built dist-electron/main.cjs, preload.cjs, data-host.cjs, export-worker.cjs');
