// The arrow goes one way (renderer → preload → main → data), each layer in its own process or sandbox. Like VS Code's layer checker: fail the build when
// a layer imports one it may not.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|svelte)$/.test(name)) out.push(path);
  }
  return out;
}

/** Module specifiers a file imports; with `values`, only imports that load code (not `import type`). */
function imports(file: string, opts: { values?: boolean } = {}): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*((?:import|export)[^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .filter((m) => !opts.values || !/^(import|export)\s+type\s/.test(m[1] ?? ''))
    .map((m) => (m[2] ?? m[3])!);
}

const RULES: { layer: string; forbidden: RegExp; why: string }[] = [
  { layer: 'electron/shared', forbidden: /^(node:|electron$|better-sqlite3|undici)|\/(data|main|preload|cli)\//, why: 'shared code runs in every layer, the renderer included' },
  { layer: 'electron/data', forbidden: /^electron($|\/)|\/(main|preload)\//, why: 'the data host is plain Node (CLI, tests, utility process)' },
  { layer: 'electron/cli', forbidden: /^electron($|\/)|\/(main|preload)\//, why: 'the CLI runs without Electron' },
  {
    layer: 'electron/main',
    // Direct imports only; what main reaches in electron/data is checked through the whole graph below.
    forbidden: /^(better-sqlite3|undici)($|\/)|\/(preload|cli)\/|renderer\//,
    why: 'main is the shell: windows, menus, dialogs and the bridge to the data host',
  },
  {
    layer: 'electron/preload',
    forbidden: /^(?!electron$)(?!\.\.\/shared\/)(?!\.\/)/,
    why: 'the sandboxed preload only bridges IPC: electron, electron/shared and itself',
  },
  { layer: 'renderer/src', forbidden: /^(node:|electron$|better-sqlite3|undici)|electron\/(data|main|preload|cli)\//, why: 'the renderer only talks through window.api' },
];

describe('layer boundaries', () => {
  for (const rule of RULES) {
    it(`${rule.layer} imports nothing it may not (${rule.why})`, () => {
      const offenders = sources(rule.layer).flatMap((f) =>
        imports(f)
          .filter((spec) => rule.forbidden.test(spec))
          .map((spec) => `${relative(ROOT, join(ROOT, f))} imports ${spec}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  it('finds the imports it checks (the checker itself works)', () => {
    expect(imports('electron/data/workspace.ts')).toContain('./db/open.ts');
    expect(imports('electron/main/index.ts')).toContain('electron');
    expect(imports('electron/preload/index.ts')).toContain('./expose-api.ts');
  });

  it('the rules catch what they are meant to', () => {
    const rule = (layer: string) => RULES.find((r) => r.layer === layer)!.forbidden;
    expect(rule('electron/main').test('../data/paths.ts')).toBe(false);
    expect(rule('electron/main').test('better-sqlite3')).toBe(true);
    expect(rule('electron/main').test('../preload/index.ts')).toBe(true);
    expect(rule('electron/preload').test('electron')).toBe(false);
    expect(rule('electron/preload').test('../shared/contract.ts')).toBe(false);
    expect(rule('electron/preload').test('node:fs')).toBe(true);
    expect(rule('electron/preload').test('../data/paths.ts')).toBe(true);
    expect(rule('electron/preload').test('../main/ipc.ts')).toBe(true);
  });

  it('electron/main never reaches the database or the provider HTTP, through any chain of imports (the data host owns them)', () => {
    const reached = new Set<string>();
    const external = new Map<string, string>();
    const walk = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const spec of imports(file, { values: true })) {
        if (!spec.startsWith('.')) external.set(spec, file);
        else walk(relative(ROOT, join(ROOT, dirname(file), spec)));
      }
    };
    for (const f of sources('electron/main')) walk(f);
    const offenders = [
      ...[...reached].filter((f) => /^electron\/data\/(db|sync|providers|net|search|summary)\//.test(f)).map((f) => `reaches ${f}`),
      ...[...external].filter(([spec]) => /^(better-sqlite3|undici)($|\/)/.test(spec)).map(([spec, f]) => `${f} imports ${spec}`),
    ];
    expect(offenders).toEqual([]);
    expect(reached.has('electron/data/paths.ts')).toBe(true); // the walk does follow main into electron/data
  });

  it('every folder under electron/ is a layer with a rule', () => {
    const folders = readdirSync(join(ROOT, 'electron')).filter((n) => statSync(join(ROOT, 'electron', n)).isDirectory());
    expect(folders.map((f) => `electron/${f}`).filter((f) => !RULES.some((r) => r.layer === f))).toEqual([]);
  });
});
