// The simulators' latency option (issue 20): every request waits before it is answered, as a provider far away
// does; a request's own ?latency= wins and is not seen by the provider's handler.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer } from '../../../electron/data/providers/simulation/server.ts';
import { SIMULATORS } from '../../../electron/data/providers/simulators.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';

let server: SimServer | null = null;
let sim: RunningSimulator | null = null;
afterEach(async () => {
  await server?.close();
  await sim?.close();
  server = sim = null;
});

async function timed(url: string): Promise<{ ms: number; status: number; body: string }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

describe('simulator latency', () => {
  it('delays every request by the server option, and a request may ask for its own', async () => {
    const seen: string[] = [];
    server = await startSimServer((_req, res, url) => {
      seen.push(url.search);
      res.writeHead(200).end('ok');
    }, { latencyMs: 150 });
    const slow = await timed(`${server.baseUrl}/x?a=1`);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(145);
    const slower = await timed(`${server.baseUrl}/x?a=2&latency=300`);
    expect(slower.ms).toBeGreaterThanOrEqual(295);
    // The handler never sees the parameter (a provider would reject an unknown one).
    expect(seen).toEqual(['?a=1', '?a=2']);
  });

  it('refuses a latency it cannot honour, with the reason', async () => {
    server = await startSimServer((_req, res) => void res.writeHead(200).end('ok'));
    const bad = await timed(`${server.baseUrl}/x?latency=-5`);
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.body) as { error: string }).error).toMatch(/latency must be 0 to \d+ ms, got "-5"/);
  });

  it('reaches every provider simulator through SimulatorOptions', async () => {
    for (const [provider, start] of Object.entries(SIMULATORS)) {
      sim = await start({ calls: 5, latencyMs: 120 });
      const r = await timed(`${sim.baseUrl}/`);
      expect(r.ms, provider).toBeGreaterThanOrEqual(115);
      await sim.close();
      sim = null;
    }
  });
});
