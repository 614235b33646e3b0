// The output file is written under a temporary name in the same folder and renamed into place only when
// complete, so a cancelled, failed or crashed export never leaves a half file under the chosen name.
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

/** One line saying why `file` could not be written, from a Node file-system error. */
export function writeErrorText(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const dir = dirname(file);
  switch (e.code) {
    case 'ENOENT': return `cannot write "${file}": the folder "${dir}" does not exist`;
    case 'ENOTDIR': return `cannot write "${file}": part of the folder path "${dir}" is a file, not a folder`;
    case 'EACCES':
    case 'EPERM': return `cannot write "${file}": permission denied`;
    case 'EROFS': return `cannot write "${file}": the disk is read-only`;
    case 'ENOSPC': return `cannot write "${file}": the disk is full`;
    case 'EISDIR': return `cannot write "${file}": it is a folder`;
    default: return `cannot write "${file}": ${e.message ?? String(err)}`;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export class ExportTarget {
  readonly file: string;
  readonly temp: string;
  readonly handle: FileHandle;
  private readonly overwrite: boolean;
  private readonly account: string;

  private constructor(file: string, temp: string, handle: FileHandle, overwrite: boolean, account: string) {
    this.file = file;
    this.temp = temp;
    this.handle = handle;
    this.overwrite = overwrite;
    this.account = account;
  }

  /** Refuses an existing file unless `overwrite`, and opens the temporary file (so a bad path fails at once). */
  static async open(file: string, overwrite: boolean, account: string): Promise<ExportTarget> {
    const existing = await stat(file).catch(() => null);
    if (existing?.isDirectory()) throw new UserError(`cannot write "${file}": it is a folder`, account);
    if (existing && !overwrite) throw new UserError(`"${file}" already exists (ask to overwrite it, e.g. --overwrite)`, account);
    const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.part`);
    try {
      return new ExportTarget(file, temp, await open(temp, 'wx'), overwrite, account);
    } catch (err) {
      throw new UserError(writeErrorText(file, err), account);
    }
  }

  /** Closes the temporary file and renames it to the chosen name. */
  async commit(): Promise<void> {
    await this.handle.close();
    if (!this.overwrite && (await exists(this.file))) {
      throw new UserError(`"${this.file}" appeared while exporting; not replaced (ask to overwrite it)`, this.account);
    }
    try {
      await rename(this.temp, this.file);
    } catch (err) {
      throw new UserError(writeErrorText(this.file, err), this.account);
    }
  }

  /** Removes the temporary file; never throws (it runs while another error is on its way out). */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    await unlink(this.temp).catch(() => {});
  }
}
