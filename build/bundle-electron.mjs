// Bundles the Electron side into dist-electron/: main.cjs, preload.cjs, data-host.cjs, export-worker.cjs, sync-writer-worker.cjs and read-worker.cjs (CommonJS, which
// Electron's main, sandboxed preloads and utility processes all load). npm packages stay external for main and
// the data host (electron-builder ships the production node_modules; better-sqlite3's *.node is unpacked from the
// asar); the preload runs sandboxed, where only 'electron' can be required, so everything else is bundled into it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { common, exportWorker, metaUrl, readWorker, root, syncWriterWorker } from './bundle-options.mjs';

const out = `${root}dist-electron`;
rmSync(out, { recursive: true, force: true });

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: `${out}/main.cjs`, packages: 'external' }),
  build({ ...common, entryPoints: ['electron/data/host/entry.ts'], outfile: `${out}/data-host.cjs`, packages: 'external', ...metaUrl }),
  build({ ...common, entryPoints: exportWorker.entryPoints, outfile: `${out}/${exportWorker.file}`, packages: 'external' }),
  build({ ...common, entryPoints: syncWriterWorker.entryPoints, outfile: `${out}/${syncWriterWorker.file}`, packages: 'external' }),
  build({ ...common, entryPoints: readWorker.entryPoints, outfile: `${out}/${readWorker.file}`, packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: `${out}/preload.cjs`, external: ['electron'], platform: 'browser', minify: true }),
]);
console.log('built dist-electron/main.cjs, preload.cjs, data-host.cjs, export-worker.cjs, sync-writer-worker.cjs, read-worker.cjs');
