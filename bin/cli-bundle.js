// Where `cdr-desk` runs its code from. Node loads our TypeScript sources directly (type stripping), but resolving
// and compiling a hundred modules at every start is most of a short command's time. So the command runs a bundle
// of them (esbuild, one file per command), cached in .cache/cli/ and rebuilt on the first run after any bundled
// source changes. With no esbuild (a production install) or no writable folder, it runs the sources as before.
// CDR_DESK_CLI_BUNDLE=0 runs the sources.
// Node's modules are taken with process.getBuiltinModule, not imported (see BUILTIN_IMPORT).
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { dirname, join, relative, sep } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = new URL('../electron/cli/main.ts', import.meta.url).href;
const CACHE = join(ROOT, '.cache', 'cli');
const MANIFEST = join(CACHE, 'manifest.json');
/** Bundles replaced this long ago are removed (a command started before may still load its lazy parts). */
const KEEP_OLD_MS = 24 * 3_600_000;

/** The URL of the CLI's main module: the cached bundle when it is current, else a new one, else the sources. */
export async function cliEntry() {
  if (process.env.CDR_DESK_CLI_BUNDLE === '0') return SOURCES;
  const cached = currentBundle();
  if (cached) return cached;
  try {
    return await rebuild();
  } catch {
    return SOURCES;
  }
}

/** The bundle the manifest names, if every source it was built from is unchanged (size and modification time). */
function currentBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
      const s = statSync(join(ROOT, file));
      if (s.mtimeMs !== mtimeMs || s.size !== size) return null;
    }
    const main = join(CACHE, manifest.dir, 'main.mjs');
    statSync(main); // removed by hand: build again
    return pathToFileURL(main).href;
  } catch {
    return null;
  }
}

/**
 * The same module under another binding: for `z` the re-exported namespace esbuild keeps all of zod (every
 * locale), for `z` the module namespace only what the schemas use, so less code to load at every start.
 */
const ZOD_IMPORT = /^import \{ z \} from 'zod';\r?$/m; // \r: a checkout with Windows line ends
const ZOD_NAMESPACE_IMPORT = "import * as z from 'zod';";

/**
 * Each source keeps its own import.meta.url, .dirname and .filename (workers and files are found beside the
 * sources, as when they run unbundled), and its size and time are taken as it is read, so a file edited during the build makes it stale.
 * A bundled package is known by its package.json: an update of the package makes the bundle stale.
 */
function sourcesPlugin(inputs) {
  return {
    name: 'cdr-desk-sources',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        const packageJson = packageJsonOf(args.path);
        if (packageJson) {
          const p = statSync(packageJson);
          inputs[relative(ROOT, packageJson)] = [p.mtimeMs, p.size];
          return undefined;
        }
        const s = statSync(args.path);
        inputs[relative(ROOT, args.path)] = [s.mtimeMs, s.size];
        if (!args.path.endsWith('.ts')) return undefined;
        const contents = readFileSync(args.path, 'utf8')
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
          .replace(ZOD_IMPORT, ZOD_NAMESPACE_IMPORT);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Packages bundled in with our sources: pure JavaScript that every read command loads, where resolving and
 * reading zod's hundred files (one per locale) from node_modules at every start was most of the module loading.
 * The other packages stay in node_modules: better-sqlite3 is native, and the rest load only with the commands
 * that need them (export, sync, preview).
 */
const BUNDLED_PACKAGES = new Set(['zod', 'jalaali-js']);

function packagesPlugin() {
  return {
    name: 'cdr-desk-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
        return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** The package.json of the package a file in node_modules belongs to (null for our own sources). */
function packageJsonOf(file) {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const parts = file.slice(at + marker.length).split(sep);
  const depth = parts[0].startsWith('@') ? 2 : 1;
  return join(file.slice(0, at + marker.length), ...parts.slice(0, depth), 'package.json');
}

/**
 * An import of one of Node's own modules, as esbuild writes it in a bundle. Imported as an ES module, a built-in
 * module gets a facade listing every export, each one read once: node:fs's stream classes are getters that load
 * Node's streams code, which a search never uses otherwise. process.getBuiltinModule hands the module over as
 * it is, and the bundle takes the same names from it.
 */
const BUILTIN_IMPORT = /^import (?:(\w+)|\* as (\w+)|\{([^}]*)\})(?:, \{([^}]*)\})? from "(node:[\w/]+)";$/gm;

function builtinsTaken(code) {
  return code.replace(BUILTIN_IMPORT, (_, defaultName, namespace, named, alsoNamed, module) => {
    const taken = `process.getBuiltinModule(${JSON.stringify(module)})`;
    const names = (named ?? alsoNamed)?.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/^(\w+) as (\w+)$/, '$1: $2'));
    const whole = defaultName ?? namespace;
    return [whole ? `const ${whole} = ${taken};` : '', names?.length ? `const { ${names.join(', ')} } = ${taken};` : ''].filter(Boolean).join(' ');
  });
}

async function rebuild() {
  const { build } = await import('esbuild');
  const dir = `${Date.now().toString(36)}-${process.pid}`;
  // This file too: a change in how the bundle is made makes a new one.
  const self = fileURLToPath(import.meta.url);
  const selfStat = statSync(self);
  const inputs = { [relative(ROOT, self)]: [selfStat.mtimeMs, selfStat.size] };
  await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'electron/cli/main.ts' },
    outdir: join(CACHE, dir),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    resolveExtensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    logLevel: 'silent',
    plugins: [packagesPlugin(), sourcesPlugin(inputs)],
  });
  for (const name of readdirSync(join(CACHE, dir))) {
    const file = join(CACHE, dir, name);
    writeFileSync(file, builtinsTaken(readFileSync(file, 'utf8')));
  }
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, MANIFEST); // atomic: a command starting meanwhile reads the old manifest or the new one
  removeOld(dir);
  return pathToFileURL(join(CACHE, dir, 'main.mjs')).href;
}

function removeOld(keep) {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    try {
      if (name !== keep && !name.endsWith('.json') && !name.endsWith('.tmp') && Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another command removed it first
    }
  }
}
