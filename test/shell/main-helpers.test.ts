// Main's plain helpers: log redaction, jobs ended when the data host dies, and where the window reopens.
import { describe, expect, it } from 'vitest';
import { OpenJobs } from '../../electron/main/open-jobs.ts';
import { redact } from '../../electron/main/redact.ts';
import { visibleBounds } from '../../electron/main/window-state.ts';

describe('log redaction', () => {
  it.each([
    ['token=abc123&x=1', 'token=***&x=1'],
    ['{"apiKey":"K-42","name":"Bucharest"}', '{"apiKey":"***","name":"Bucharest"}'],
    ['password: hunter2', 'password: ***'],
    ['Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer ***'],
    ['sent Bearer eyJ0eXAi to pbx', 'sent Bearer *** to pbx'],
    ['GET https://admin:s3cret@pbx.example.ro/api failed', 'GET https://admin:***@pbx.example.ro/api failed'],
  ])('%s → %s', (input, output) => expect(redact(input)).toBe(output));

  it('leaves ordinary lines alone', () => {
    expect(redact('account "Bucharest PBX": HTTP 401 from https://pbx.example.ro/api/cdr')).toBe('account "Bucharest PBX": HTTP 401 from https://pbx.example.ro/api/cdr');
  });
});

describe('open jobs', () => {
  it('ends the jobs still running when the data host dies, and only those', () => {
    const jobs = new OpenJobs();
    jobs.started('sync.start', { jobId: 'sync-1' });
    jobs.started('export.start', { jobId: 'export-1' });
    jobs.started('ids.import', { jobId: 'sync-2' });
    jobs.started('accounts.list', [{ jobId: 'not-a-job' }]);
    jobs.finished('sync-2');
    expect(jobs.abandon('host died')).toEqual([
      { jobId: 'sync-1', kind: 'sync', ok: false, cancelled: false, error: 'host died', result: null },
      { jobId: 'export-1', kind: 'export', ok: false, cancelled: false, error: 'host died', result: null },
    ]);
    expect(jobs.abandon('again')).toEqual([]);
  });
});

describe('window placement', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('reopens where it was when that is on a screen', () => {
    expect(visibleBounds({ x: 100, y: 80, width: 1200, height: 800 }, screen)).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
  });
  it('forgets a place on a monitor that is gone, or nonsense', () => {
    expect(visibleBounds({ x: 2500, y: 100, width: 1200, height: 800 }, screen)).toBeUndefined();
    expect(visibleBounds({ x: 100, y: -900, width: 1200, height: 800 }, screen)).toBeUndefined();
    expect(visibleBounds({ x: Number.NaN, y: 0, width: 1, height: 1 }, screen)).toBeUndefined();
    expect(visibleBounds(undefined, screen)).toBeUndefined();
  });
});
