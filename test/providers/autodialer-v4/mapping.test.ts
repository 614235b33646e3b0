// autodialer-v4 tries → calls: MongoDB extended JSON, numbers and booleans as strings, unknown dispositions,
// tries without details, and the error shape.
import { describe, expect, it } from 'vitest';
import { CALL_STATUSES } from '../../../electron/shared/cdr.ts';
import { AUTODIALER_STATUS, autodialerErrorText, autodialerStatus, bool, mapAutodialerTry, mongoDate, oid } from '../../../electron/data/providers/autodialer-v4/adapter.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';

const tryOf = (over: Record<string, unknown> = {}) => ({
  cdr_id: { $oid: '602e50ce305bdd377168a8c1' }, cause: '16', 'cause-txt': 'Normal Clearing',
  starttime: { $date: { $numberLong: '1612870804000' } }, disposition: 'ANSWERED', wait: 3, ...over,
});
const recordOf = (tries: Record<string, unknown>[], over: Record<string, unknown> = {}) => ({
  _id: { $oid: '602e50ce305bdd377168a8b0' }, campaign_id: { $oid: '5ff2a1d3305bdd3771680001' }, campaign: 'نظرسنجی',
  number: '09121234567', disposition: 'ANSWERED', try: '1', billsec: '20', wait: '3', billsec_hhmmss: '00:00:20',
  start: '1399-11-21 15:10:04', end: '1399-11-21 15:10:27', date: '1399-11-21 15:10:04', tries, ...over,
});

describe('autodialer-v4 mapping', () => {
  it('one try with its details: times from epoch ms, billable = duration - wait for an answered try', () => {
    const t = tryOf();
    const c = mapAutodialerTry(recordOf([t]), t, { duration: 23, wait: 3, channel: 'SIP/x' })!;
    expect([toIsoUtc(c.startedAt), toIsoUtc(c.answeredAt), toIsoUtc(c.endedAt)]).toEqual(['2021-02-09T11:40:04Z', '2021-02-09T11:40:07Z', '2021-02-09T11:40:27Z']);
    expect([c.durationSec, c.billSec, c.waitSec, c.status, c.providerStatus]).toEqual([23, 20, 3, 'answered', 'ANSWERED']);
    expect([c.callId, c.campaignId, c.campaign, c.destination]).toEqual(['602e50ce305bdd377168a8c1', '5ff2a1d3305bdd3771680001', 'نظرسنجی', '09121234567']);
  });

  it('numbers as strings in details and tries', () => {
    const t = tryOf({ wait: '4' });
    const c = mapAutodialerTry(recordOf([t]), t, { duration: '10', wait: '4' })!;
    expect([c.durationSec, c.billSec, c.waitSec]).toEqual([10, 6, 4]);
  });

  it('without details: duration and end unknown; the answering try takes the record\'s billsec', () => {
    const first = tryOf({ cdr_id: { $oid: 'a1' }, disposition: 'NO ANSWER', wait: '30' });
    const last = tryOf({ cdr_id: { $oid: 'a2' } });
    const rec = recordOf([first, last]);
    expect(mapAutodialerTry(rec, last, null)).toMatchObject({ durationSec: null, endedAt: null, billSec: 20, waitSec: 3 });
    expect(mapAutodialerTry(rec, first, null)).toMatchObject({ status: 'no_answer', billSec: 0, answeredAt: null, waitSec: 30 });
  });

  it('unknown dispositions are "unknown" with the provider text kept; empty is unknown with no text', () => {
    const t = tryOf({ disposition: 'TRANSFERRED' });
    expect(mapAutodialerTry(recordOf([t]), t, null)).toMatchObject({ status: 'unknown', providerStatus: 'TRANSFERRED', billSec: 0, answeredAt: null });
    const e = tryOf({ disposition: '' });
    expect(mapAutodialerTry(recordOf([e]), e, null)).toMatchObject({ status: 'unknown', providerStatus: null });
  });

  it('a try still ringing is pending, not unknown', () => {
    const t = tryOf({ disposition: 'RINGING' });
    expect(mapAutodialerTry(recordOf([t]), t, null)).toMatchObject({ status: 'pending', providerStatus: 'RINGING', billSec: 0, answeredAt: null });
  });

  it('maps every disposition through its table onto the normalized set, whatever the case and spacing', () => {
    expect(['ANSWERED', 'NO ANSWER', 'no answer', 'NO  ANSWER', 'BUSY', 'FAILED', 'CONGESTION', 'LOST', 'CHANUNAVAIL'].map(autodialerStatus)).toEqual([
      'answered', 'no_answer', 'no_answer', 'no_answer', 'busy', 'failed', 'congestion', 'no_answer', 'failed',
    ]);
    for (const v of Object.values(AUTODIALER_STATUS)) expect(CALL_STATUSES).toContain(v);
  });

  it('a try without a cdr_id is not a call; a malformed starttime names the try', () => {
    const t = tryOf({ cdr_id: null });
    expect(mapAutodialerTry(recordOf([t]), t, null)).toBeNull();
    const bad = tryOf({ starttime: { $date: 'yesterday' } });
    expect(() => mapAutodialerTry(recordOf([bad]), bad, null)).toThrow(/try 602e50ce305bdd377168a8c1 field starttime/);
  });

  it('raw keeps the try, its details and the record\'s identity (not the fields every new try changes)', () => {
    const t = tryOf();
    const c = mapAutodialerTry(recordOf([t]), t, { duration: 2 })!;
    expect(c.raw).toEqual({
      record: { _id: { $oid: '602e50ce305bdd377168a8b0' }, campaign_id: { $oid: '5ff2a1d3305bdd3771680001' }, campaign: 'نظرسنجی', number: '09121234567', start: '1399-11-21 15:10:04' },
      try: t,
      info: { duration: 2 },
    });
  });

  it('MongoDB extended JSON: $oid, $date with $numberLong, a number, or an ISO text', () => {
    expect(oid({ $oid: 'abc' })).toBe('abc');
    expect(oid('abc')).toBe('abc');
    expect(oid(null)).toBeNull();
    expect(mongoDate({ $date: { $numberLong: '1612870804000' } })).toBe(1612870804000);
    expect(mongoDate({ $date: 1612870804000 })).toBe(1612870804000);
    expect(mongoDate({ $date: '2021-02-09T11:40:04Z' })).toBe(1612870804000);
    expect(mongoDate(null)).toBeNull();
    expect(() => mongoDate({ $date: '2021-02-09 11:40:04' })).toThrow(/not a MongoDB date/);
  });

  it('booleans as strings', () => {
    expect([bool('true'), bool('false'), bool(true), bool(1), bool('1'), bool('0'), bool(''), bool(undefined), bool('maybe')]).toEqual([
      true, false, true, true, true, false, null, null, null,
    ]);
  });

  it('error bodies: success 0 (or "0") with a message; success 1 is no error', () => {
    expect(autodialerErrorText({ success: 0, message: 'Campaign not found' })).toBe('Campaign not found');
    expect(autodialerErrorText({ success: '0', message: 'x' })).toBe('x');
    expect(autodialerErrorText({ success: 0 })).toBe('request failed (no message)');
    expect(autodialerErrorText({ success: 1, message: '' })).toBeNull();
    expect(autodialerErrorText({ success: 'true', data: {} })).toBeNull();
    expect(autodialerErrorText('nope')).toBe('answer is not a JSON object');
  });
});
