// The JSON file both secret stores keep their sealed entries in: one entry per account ref, replaced atomically
// (written aside with mode 0600, then renamed) so a crash never leaves a half-written file.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export class SealedEntriesFile<T> {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  get(ref: string): T | undefined {
    return this.readAll()[ref];
  }

  put(ref: string, entry: T): void {
    const all = this.readAll();
    all[ref] = entry;
    this.writeAll(all);
  }

  remove(ref: string): void {
    const all = this.readAll();
    if (!(ref in all)) return;
    delete all[ref];
    this.writeAll(all);
  }

  private readAll(): Record<string, T> {
    if (!existsSync(this.path)) return {};
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, T>;
  }

  private writeAll(all: Record<string, T>): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
