// Runs one of the export writers into a real file, the way run.ts does but without the account lookup.
import { open } from 'node:fs/promises';
import { FileOut } from '../../electron/data/export/file-out.ts';

export async function writeFile<T>(file: string, write: (out: FileOut) => Promise<T>): Promise<T> {
  const handle = await open(file, 'w');
  try {
    const out = new FileOut(handle);
    const result = await write(out);
    await out.finish();
    return result;
  } finally {
    await handle.close();
  }
}
