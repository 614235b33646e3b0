// `npm run bench`: every benchmark in turn, each in its own process (so peak-memory figures are its own).
// Not part of `npm test`. The shared million-call data folder is built once by the first benchmark that needs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['sync.ts', 'search-summary.ts', 'export.ts', 'renderer.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const file of BENCHES.filter((b) => !only.length || only.some((o) => b.startsWith(o)))) {
  console.log(`\n## bench/${file}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(import.meta.dirname, file)], { stdio: 'inherit' });
  console.log(`(bench/${file}: exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
