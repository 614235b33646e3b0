// The write path (db/write-path.ts) on its own: turns run one at a time in the order asked, a failed turn fails
// only its caller, and a guarded connection is writable only inside a turn.
import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../electron/data/db/open.ts';
import { WritePath } from '../../electron/data/db/write-path.ts';

const insert = "INSERT INTO saved_searches (name, filter, created_at, updated_at) VALUES (?, '{}', 0, 0)";

describe('WritePath', () => {
  it('runs turns in the order asked, one at a time, even when one waits on something else', async () => {
    const db = openMemoryDatabase();
    const path = new WritePath(db, { guard: true });
    const seen: string[] = [];
    let release!: () => void;
    const held = path.hold(() => new Promise<void>((r) => (release = () => (seen.push('held'), r()))));
    const first = path.write(() => seen.push('first'));
    const second = path.write(async () => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push('second');
    });
    const third = path.write(() => seen.push('third'));
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([]); // nothing overtakes the turn held
    release();
    await Promise.all([held, first, second, third]);
    expect(seen).toEqual(['held', 'first', 'second', 'third']);
    db.close();
  });

  it('a failed turn rejects its caller only; guarded, the connection writes only inside a turn', async () => {
    const db = openMemoryDatabase();
    const path = new WritePath(db, { guard: true });
    const failed = path.write(() => {
      db.prepare(insert).run('a');
      throw new Error('boom');
    });
    const next = path.write(() => db.prepare(insert).run('b').changes);
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe(1);
    expect(() => db.prepare(insert).run('c')).toThrow(/readonly/);
    expect(db.prepare('SELECT name FROM saved_searches ORDER BY name').pluck().all()).toEqual(['a', 'b']);
    path.close();
    expect(db.prepare(insert).run('c').changes).toBe(1);
    db.close();
  });
});
