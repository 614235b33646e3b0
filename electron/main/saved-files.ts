// The files the user chose in this window's Save dialog, the only ones shell.showItemInFolder will reveal: a page
// that names any other path gets a refusal, not a file manager opened on the folder of its choice.
import { resolve } from 'node:path';

export class SavedFiles {
  static readonly MAX = 64;
  private readonly paths = new Set<string>();

  add(path: string): void {
    const p = resolve(path);
    this.paths.delete(p);
    this.paths.add(p);
    if (this.paths.size > SavedFiles.MAX) this.paths.delete(this.paths.values().next().value!);
  }

  has(path: string): boolean {
    return this.paths.has(resolve(path));
  }
}
