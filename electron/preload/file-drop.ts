// A file dropped on the window: the preload reads its path (webUtils, only for a File the OS handed over) and
// passes it to main on a channel of its own that window.api does not have; main grants a one-use read handle and
// the page hears of it as the 'file.dropped' event. A script in the page cannot forge this: the events it can
// dispatch are not trusted, and its own File objects have no path.
import { IPC_FILE_DROP } from '../shared/contract.ts';

export interface DropTarget {
  addEventListener(type: 'drop' | 'dragover', listener: (event: DropEventLike) => void, capture: boolean): void;
}

export interface DropEventLike {
  isTrusted: boolean;
  dataTransfer: { files: ArrayLike<unknown> } | null;
  preventDefault(): void;
}

export interface FileDropDeps {
  getPathForFile(file: unknown): string;
  send(channel: string, path: string): void;
}

export function forwardFileDrops(target: DropTarget, deps: FileDropDeps): void {
  // Without this the drop would be a navigation to the file (which main refuses anyway).
  target.addEventListener('dragover', (event) => event.preventDefault(), true);
  target.addEventListener(
    'drop',
    (event) => {
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!event.isTrusted || !file) return;
      const path = deps.getPathForFile(file);
      if (path) deps.send(IPC_FILE_DROP, path);
    },
    true,
  );
}
