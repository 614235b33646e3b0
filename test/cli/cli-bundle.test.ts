// The command line runs a cached bundle of its sources (bin/cli-bundle.js): the same answers as the sources, a
// manifest naming every source bundled, and a new bundle once one of them changes.
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliOk } from '../helpers/run-cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MANIFEST = join(ROOT, '.cache', 'cli', 'manifest.json');

const run = (args: string[], env: Record<string, string> = {}) => runCliOk(args, env);
const manifest = () => JSON.parse(readFileSync(MANIFEST, 'utf8')) as { dir: string; inputs: Record<string, [number, number]> };

describe('the CLI bundle cache', () => {
  it('answers as the sources do, from a bundle that lists its sources', () => {
    const bundled = run(['search', '--help']);
    expect(bundled).toBe(run(['search', '--help'], { CDR_DESK_CLI_BUNDLE: '0' }));
    const m = manifest();
    expect(Object.keys(m.inputs)).toEqual(expect.arrayContaining([join('electron', 'cli', 'main.ts'), join('electron', 'cli', 'commands', 'index.ts')]));
    expect(statSync(join(ROOT, '.cache', 'cli', m.dir, 'main.mjs')).isFile()).toBe(true);
  });

  it('bundles zod in (no module of it is read from node_modules) and names its package.json and the bundler among its inputs', () => {
    run(['--help']);
    const m = manifest();
    const inputs = Object.keys(m.inputs);
    expect(inputs).toContain(join('bin', 'cli-bundle.js'));
    expect(inputs.some((file) => file.endsWith(join('node_modules', 'zod', 'package.json')))).toBe(true);
    const dir = join(ROOT, '.cache', 'cli', m.dir);
    const code = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    expect(code).not.toMatch(/from ["']zod["'/]/);
    // Only the schemas in use: of zod's locales, the default one (esbuild names each bundled file in a comment).
    expect(new Set(code.match(/zod\/v4\/locales\/[\w-]+\.js/g))).toEqual(new Set(['zod/v4/locales/en.js']));
    expect(code).toMatch(/from ["']better-sqlite3["']/);
  });

  it("takes Node's own modules with process.getBuiltinModule, importing none as an ES module", () => {
    run(['--help']);
    const dir = join(ROOT, '.cache', 'cli', manifest().dir);
    const code = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).toMatch(/const \{ [^}]*readFileSync[^}]* \} = process\.getBuiltinModule\("node:fs"\);/);
    expect(code).toMatch(/const \{ parseArgs \} = process\.getBuiltinModule\("node:util"\);/);
  });

  it('builds a new bundle once a bundled source changes', () => {
    run(['--help']);
    const before = manifest();
    const source = join(ROOT, 'electron', 'cli', 'command.ts');
    const later = new Date(Math.max(Date.now(), statSync(source).mtimeMs + 2000));
    utimesSync(source, later, later);
    expect(run(['--help'])).toMatch(/^Usage: cdr-desk/);
    const after = manifest();
    expect(after.dir).not.toBe(before.dir);
    expect(after.inputs[join('electron', 'cli', 'command.ts')]![0]).toBe(statSync(source).mtimeMs);
    // Unchanged since: the same bundle runs again.
    run(['--help']);
    expect(manifest().dir).toBe(after.dir);
  });
});
