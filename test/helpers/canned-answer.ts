// A loopback server that gives every request the same answer (set per test), and the first error an adapter
// throws while paging: for testing how provider error bodies become messages.
import { afterAll, beforeAll } from 'vitest';
import type { UserError } from '../../electron/data/errors.ts';
import { startSimServer, type SimServer } from '../../electron/data/providers/simulation/server.ts';

export interface CannedAnswer {
  status: number;
  body: string;
}

export function cannedAnswerServer(): { answer: CannedAnswer; baseUrl(): string } {
  let server: SimServer;
  const state = { answer: { status: 200, body: '{}' }, baseUrl: () => server.baseUrl };
  beforeAll(async () => {
    server = await startSimServer((_req, res) => {
      res.writeHead(state.answer.status, { 'content-type': 'application/json' });
      res.end(state.answer.body);
    });
  });
  afterAll(() => server.close());
  return state;
}

export async function firstFailure(pages: AsyncIterable<unknown>): Promise<UserError> {
  try {
    for await (const _ of pages) void _;
  } catch (err) {
    return err as UserError;
  }
  throw new Error('expected a failure');
}
