// Files the renderer may name: only through opaque one-use handles that the shell issued from its own Save or
// Open dialog (or a file dropped on the window). A script injected into the page can then read or write nothing
// but the one file the user just picked: a raw path fails the contract, a forged handle is unknown here, and a
// handle that was used (or sat unused too long) is gone.
import { newFileHandle, type FileGrant, type FileUse } from '../../shared/file-handle.ts';
import { UserError } from '../errors.ts';

export { isFileGrantMessage, newFileHandle, type FileGrant, type FileUse } from '../../shared/file-handle.ts';

export class FileGrants {
  /** An unused handle expires: the user picked a file and walked away. */
  static readonly TTL_MS = 15 * 60_000;
  /** Outstanding handles kept at most (oldest dropped first), so a flood of dialogs cannot grow memory. */
  static readonly MAX_OPEN = 64;

  private readonly open = new Map<string, { path: string; use: FileUse; issuedAt: number }>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Issues a handle for a path the shell itself chose (preview's export folder). */
  issue(path: string, use: FileUse): string {
    const handle = newFileHandle();
    this.accept({ handle, path, use });
    return handle;
  }

  /** Records a handle main issued from its own dialog. */
  accept(grant: FileGrant): void {
    this.open.set(grant.handle, { path: grant.path, use: grant.use, issuedAt: this.now() });
    while (this.open.size > FileGrants.MAX_OPEN) this.open.delete(this.open.keys().next().value!);
  }

  /** The path behind a handle, which is used up by this call. Anything else is refused with a plain reason. */
  redeem(handle: string, use: FileUse, account?: string): string {
    const grant = this.open.get(handle);
    this.open.delete(handle);
    if (!grant || this.now() - grant.issuedAt > FileGrants.TTL_MS) {
      throw new UserError('that file was not picked in this window, or was already used; pick the file again', account);
    }
    if (grant.use !== use) throw new UserError(`that file was picked to ${grant.use === 'read' ? 'read' : 'save'}, not to ${use === 'read' ? 'read' : 'save'}`, account);
    return grant.path;
  }

  get size(): number {
    return this.open.size;
  }
}
