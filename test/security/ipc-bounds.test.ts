// window.api, reviewed as a sandbox boundary: every input the page can send is bounded in the contract (string
// lengths, array sizes, record sizes, numbers), and a page that floods one channel cannot starve the data host.
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { busyMessage, CallLimit, MAX_IN_FLIGHT_PER_CHANNEL, MAX_WAITING_PER_CHANNEL } from '../../electron/shared/call-limit.ts';
import { createDispatcher } from '../../electron/data/host/dispatcher.ts';
import { serveHost } from '../../electron/data/host/loop.ts';
import { fromNodePort } from '../../electron/data/host/port.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { createRouter, type Reply } from '../../electron/main/router.ts';
import { CHANNEL_NAMES, CHANNELS, type Channel } from '../../electron/shared/contract.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string } } }[];
  [k: string]: unknown;
}
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

/** Paths inside a schema where the page could send something of unlimited size. */
function unbounded(schema: unknown, path: string): string[] {
  const def = defOf(schema);
  const has = (...kinds: string[]) => (def.checks ?? []).some((c) => kinds.includes(c._zod.def.check));
  switch (def.type) {
    case 'string':
      return has('max_length', 'length_equals') ? [] : [`${path} (string without a maximum length)`];
    case 'number':
      return has('less_than') ? [] : [`${path} (number without a maximum)`];
    case 'array':
      return [...(has('max_length', 'length_equals') ? [] : [`${path} (array without a maximum size)`]), ...unbounded(def.element, `${path}[]`)];
    case 'record':
      // zod has no size check for records: the contract caps them with a refine (checked by behaviour below).
      return [...(has('custom') ? [] : [`${path} (record without a size cap)`]), ...unbounded(def.keyType, `${path}{key}`), ...unbounded(def.valueType, `${path}{}`)];
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const catchall = def.catchall ? defOf(def.catchall).type : 'strip';
      return [
        ...(catchall === 'never' || catchall === 'strip' ? [] : [`${path} (object taking any extra key)`]),
        ...Object.entries(shape).flatMap(([k, v]) => unbounded(v, path ? `${path}.${k}` : k)),
      ];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return unbounded(def.innerType, path);
    case 'pipe':
      return unbounded(def.in, path);
    case 'union':
      return (def.options as unknown[]).flatMap((o) => unbounded(o, path));
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'null':
    case 'undefined':
    case 'never':
      return [];
    default:
      return [`${path} (${def.type}: not reviewed)`];
  }
}

describe('every window.api input is bounded', () => {
  it('has a maximum for every string, array, record and number of every channel request', () => {
    const found = CHANNEL_NAMES.flatMap((c) => unbounded(CHANNELS[c].request, '').map((p) => `${c}: ${p || '(request)'}`));
    expect(found).toEqual([]);
  });

  it('the checker itself finds what is unbounded', async () => {
    const { z } = await import('zod');
    const loose = z.object({ s: z.string(), n: z.number().int(), a: z.array(z.string().max(3)), r: z.record(z.string().max(3), z.string().max(3)), u: z.unknown() });
    expect(unbounded(loose, '')).toEqual([
      's (string without a maximum length)',
      'n (number without a maximum)',
      'a (array without a maximum size)',
      'r (record without a size cap)',
      'u (unknown: not reviewed)',
    ]);
  });

  const refuses = (channel: Channel, request: unknown) => expect(CHANNELS[channel].request.safeParse(request).success, `${channel} ${JSON.stringify(request).slice(0, 120)}`).toBe(false);

  it('refuses oversized values at those bounds', () => {
    const long = (n: number) => 'x'.repeat(n);
    const secrets = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    refuses('accounts.add', { name: 'A', provider: 'pbx-cdr', baseUrl: 'https://a.ro', secrets });
    refuses('accounts.add', { name: 'A', provider: 'pbx-cdr', baseUrl: 'https://a.ro', secrets: { token: long(8193) } });
    refuses('accounts.edit', { name: 'A', patch: { baseUrl: `https://${long(2050)}` } });
    refuses('search.query', { filter: { text: long(501) } });
    refuses('search.query', { filter: { accounts: Array.from({ length: 501 }, (_, i) => `a${i}`) } });
    refuses('search.query', { filter: {}, offset: 1e12 });
    refuses('search.query', { filter: { minDuration: 1e9 } });
    refuses('search.query', { filter: {}, after: long(1025) });
    refuses('sync.start', { accounts: Array.from({ length: 501 }, (_, i) => `a${i}`) });
    refuses('export.start', { account: 'A', format: 'csv', out: 'fh-' + 'a'.repeat(32), columns: Array.from({ length: 65 }, () => 'Call ID') });
    refuses('ids.import', { account: 'A', text: long(20_000_001) });
    refuses('shell.openExternal', { url: `https://github.com/${long(2048)}` });
    refuses('search.saved.delete', { name: long(81) });
  });
});

describe('a page flooding one channel cannot starve the data host', () => {
  isolatedKeyFile();
  const ws = openWorkspace(tempDir());
  afterAll(() => ws.close());

  /**
   * The router in front of the real data host loop on a real MessageChannel, as main runs it in front of the
   * utility process: calls go down one ordered port and the host answers them in order.
   */
  function wire(limit: CallLimit) {
    const { port1: hostSide, port2: mainSide } = new MessageChannel();
    // Reads in line: the flooded channel then runs on the host's own thread, as every non-read channel does, so
    // the test shows what the limit alone prevents.
    const dispatcher = createDispatcher(ws, { log: () => {}, reads: 'inline' });
    serveHost(fromNodePort(hostSide), dispatcher);
    const pending = new Map<number, (r: Reply) => void>();
    const answered: number[] = [];
    let nextId = 1;
    let reachedHost = 0;
    mainSide.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (typeof m.id !== 'number') return;
      answered.push(m.id);
      pending.get(m.id)?.(m.ok ? { ok: true, result: m.result } : { ok: false, error: String(m.error) });
    });
    const route = createRouter({
      host: (channel, payload) =>
        new Promise<Reply>((resolve) => {
          const id = nextId++;
          reachedHost++;
          pending.set(id, resolve);
          mainSide.postMessage({ id, channel, payload });
        }),
      main: {},
      log: () => {},
      limit,
    });
    const sender = { url: 'app://bundle/index.html', isMainFrame: true };
    return {
      call: (channel: string, payload: unknown) => route(channel, sender, payload),
      reachedHost: () => reachedHost,
      /** Position of a host call among the host's answers (1 = answered first). */
      answeredAt: (hostCallNumber: number) => answered.indexOf(hostCallNumber) + 1,
      close: async () => {
        await dispatcher.close();
        hostSide.close();
        mainSide.close();
      },
    };
  }

  it('runs a burst in order, never more than the limit at once', async () => {
    const limit = new CallLimit(2, 50);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit.run('accounts.coverage', async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 2));
          order.push(i);
          running--;
          return i;
        }, () => -1),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
  });

  const FLOOD = 400;
  const flood = (call: (c: string, p: unknown) => Promise<Reply>) =>
    Array.from({ length: FLOOD }, (_, i) => call('search.query', { filter: { text: `flood ${i}` }, limit: 10_000 }));

  it('lets a few calls of a channel through at a time, queues a burst, refuses a flood, and answers another channel right after the first few', async () => {
    const w = wire(new CallLimit());
    const flooded = flood(w.call);
    const other = w.call('accounts.list', {});
    expect(await other).toEqual({ ok: true, result: [] });
    // accounts.list reached the host right after the calls already in flight, ahead of every waiting one.
    expect(w.answeredAt(MAX_IN_FLIGHT_PER_CHANNEL + 1)).toBe(MAX_IN_FLIGHT_PER_CHANNEL + 1);
    const replies = await Promise.all(flooded);
    const busy = replies.filter((r) => !r.ok);
    expect(replies.filter((r) => r.ok)).toHaveLength(MAX_IN_FLIGHT_PER_CHANNEL + MAX_WAITING_PER_CHANNEL);
    expect(busy).toHaveLength(FLOOD - MAX_IN_FLIGHT_PER_CHANNEL - MAX_WAITING_PER_CHANNEL);
    expect(busy[0]).toEqual({ ok: false, error: busyMessage('search.query') });
    // The refused calls never reached the host.
    expect(w.reachedHost()).toBe(MAX_IN_FLIGHT_PER_CHANNEL + MAX_WAITING_PER_CHANNEL + 1);
    // Once the flood has drained the channel serves again.
    expect(await w.call('search.query', { filter: {} })).toMatchObject({ ok: true });
    await w.close();
  });

  it('without the limit the same flood queues every call in front of the other channel (what the limit prevents)', async () => {
    const w = wire(new CallLimit(Number.POSITIVE_INFINITY, 0));
    const flooded = flood(w.call);
    const other = w.call('accounts.list', {});
    await Promise.all([other, ...flooded]);
    expect(w.reachedHost()).toBe(FLOOD + 1);
    expect(w.answeredAt(FLOOD + 1)).toBe(FLOOD + 1);
    await w.close();
  });
});
