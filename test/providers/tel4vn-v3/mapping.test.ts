// tel4vn-v3 lead rows → calls: the edge cases the seed hints at (empty stamps, numbers as strings, unknown
// statuses, press_key JSON inside a string, recordings, free text) and the error shapes.
import { describe, expect, it } from 'vitest';
import { CALL_STATUSES } from '../../../electron/shared/cdr.ts';
import { mapTel4vnLead, pressKeyText, TEL4VN_STATUS, tel4vnErrorText, tel4vnStatus } from '../../../electron/data/providers/tel4vn-v3/adapter.ts';
import { toIsoUtc } from '../../../electron/data/time/zone.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const CAMP = { id: 'c-1', name: 'Nhắc nợ' };

const row = (over: Record<string, unknown> = {}) => ({
  billsec: 22, called_count: 1, campaign_name: 'AutocallTTS', cdr_uuid: 'cdr-1', contract_number: '', duration: 31,
  lead_code: '', lead_uuid: 'lead-1', lead_name: '', list_name: 'L1', phone_number: '0775702541', press_key: '{}',
  record_name: '', recording_url: '', status: 'answered', additional: {}, start_stamp: '2023-03-07 13:34:26',
  end_stamp: '2023-03-07 13:34:57', answer_stamp: '2023-03-07 13:34:35', created_at: '2023-03-07T13:34:21.310357+07:00',
  last_call_time: '2023-03-07T20:36:42+07:00', ...over,
});

describe('tel4vn-v3 mapping', () => {
  it('a row without cdr_uuid (empty, missing or null) is not a call', () => {
    expect(mapTel4vnLead(row({ cdr_uuid: '' }), ZONE, CAMP)).toBeNull();
    expect(mapTel4vnLead(row({ cdr_uuid: '   ' }), ZONE, CAMP)).toBeNull();
    expect(mapTel4vnLead(row({ cdr_uuid: null }), ZONE, CAMP)).toBeNull();
    const { cdr_uuid: _, ...noKey } = row();
    expect(mapTel4vnLead(noKey, ZONE, CAMP)).toBeNull();
  });

  it('empty stamps "" are null; a call never answered has no answer time', () => {
    const c = mapTel4vnLead(row({ status: 'no_answered', answer_stamp: '', billsec: 0, end_stamp: '' }), ZONE, CAMP)!;
    expect([toIsoUtc(c.startedAt), c.answeredAt, c.endedAt]).toEqual(['2023-03-07T06:34:26Z', null, null]);
    expect(mapTel4vnLead(row({ start_stamp: '' }), ZONE, CAMP)!.startedAt).toBeNull();
  });

  it('never reads last_call_time or created_at as the call time', () => {
    const c = mapTel4vnLead(row({ last_call_time: '2030-01-01T00:00:00+07:00', created_at: '2001-01-01T00:00:00+07:00' }), ZONE, CAMP)!;
    expect(toIsoUtc(c.startedAt)).toBe('2023-03-07T06:34:26Z');
  });

  it('reads numbers that come as strings, and refuses text that is not a number', () => {
    const c = mapTel4vnLead(row({ billsec: '22', duration: ' 31 ' }), ZONE, CAMP)!;
    expect([c.billSec, c.durationSec]).toEqual([22, 31]);
    expect(mapTel4vnLead(row({ billsec: '', duration: null }), ZONE, CAMP)).toMatchObject({ billSec: null, durationSec: null });
    expect(() => mapTel4vnLead(row({ duration: 'abc' }), ZONE, CAMP)).toThrow(/duration/);
  });

  it('keeps phone numbers as text, leading zero included, even when sent as a number', () => {
    expect(mapTel4vnLead(row({ phone_number: '0775702541' }), ZONE, CAMP)!.destination).toBe('0775702541');
    expect(mapTel4vnLead(row({ phone_number: 84775702541 }), ZONE, CAMP)!.destination).toBe('84775702541');
  });

  it('unknown statuses are "unknown" with the provider text kept; case does not matter', () => {
    const c = mapTel4vnLead(row({ status: 'voicemail_detected' }), ZONE, CAMP)!;
    expect([c.status, c.providerStatus]).toEqual(['unknown', 'voicemail_detected']);
    expect(mapTel4vnLead(row({ status: '' }), ZONE, CAMP)).toMatchObject({ status: 'unknown', providerStatus: null });
    expect(mapTel4vnLead(row({ status: 'ANSWERED' }), ZONE, CAMP)).toMatchObject({ status: 'answered', providerStatus: 'ANSWERED' });
  });

  it('a call with no status and no end yet is pending (still ringing), apart from an unmappable final status', () => {
    const ringing = mapTel4vnLead(row({ status: '', end_stamp: '', answer_stamp: '', billsec: 0, duration: 0 }), ZONE, CAMP)!;
    expect([ringing.status, ringing.providerStatus, ringing.endedAt]).toEqual(['pending', null, null]);
    expect(mapTel4vnLead(row({ status: 'voicemail_detected', end_stamp: '' }), ZONE, CAMP)!.status).toBe('unknown');
  });

  it('contact is lead_name, trimmed; null when empty or absent (other lead fields stay searchable only)', () => {
    expect(mapTel4vnLead(row({ lead_name: '  Đỗ Thị Ngà ' }), ZONE, CAMP)!.contact).toBe('Đỗ Thị Ngà');
    expect(mapTel4vnLead(row({ lead_name: '', list_name: 'ListAutocall01', additional: { ten: 'Ngà' } }), ZONE, CAMP)!.contact).toBeNull();
    const { lead_name: _, ...noName } = row();
    expect(mapTel4vnLead(noName, ZONE, CAMP)!.contact).toBeNull();
  });

  it('maps every documented status through its table onto the normalized set', () => {
    expect(
      Object.fromEntries(['answered', 'busy', 'busy_line', 'no_answered', 'no_answer', 'cancel', 'congestion', 'invalid', 'not_available', 'phone_block'].map((s) => [s, tel4vnStatus(s)])),
    ).toEqual({
      answered: 'answered', busy: 'busy', busy_line: 'busy', no_answered: 'no_answer', no_answer: 'no_answer', cancel: 'cancelled',
      congestion: 'congestion', invalid: 'invalid_number', not_available: 'failed', phone_block: 'failed',
    });
    for (const v of Object.values(TEL4VN_STATUS)) expect(CALL_STATUSES).toContain(v);
    expect(tel4vnStatus(null)).toBe('unknown');
  });

  it('press_key: JSON inside a string → the keys pressed', () => {
    expect(pressKeyText('{}')).toBeNull();
    expect(pressKeyText('')).toBeNull();
    expect(pressKeyText('[]')).toBeNull();
    expect(pressKeyText('{"key_1":"1"}')).toBe('1');
    expect(pressKeyText('{"key_1":"2","key_2":"#"}')).toBe('2#');
    expect(pressKeyText('["1","5"]')).toBe('15');
    expect(pressKeyText('{"ivr":{"menu":"sales","key":3}}')).toBe('sales,3');
    expect(pressKeyText('7')).toBe('7');
    expect(pressKeyText('not json')).toBe('not json');
  });

  it('recording = recording_url + "/" + record_name when both are present', () => {
    expect(mapTel4vnLead(row({ recording_url: '/rec/2023/Mar/07/', record_name: 'x.mp3' }), ZONE, CAMP)!.recording).toBe('/rec/2023/Mar/07/x.mp3');
    expect(mapTel4vnLead(row({ recording_url: '', record_name: 'x.mp3' }), ZONE, CAMP)!.recording).toBe('x.mp3');
    expect(mapTel4vnLead(row({ recording_url: '/rec', record_name: '' }), ZONE, CAMP)!.recording).toBeNull();
  });

  it('free text: lead name and the string leaves of additional (customer names)', () => {
    const c = mapTel4vnLead(row({ lead_name: 'Nguyễn Văn An', additional: { ten: 'Đỗ Thị Ngà', data1: 1, nested: { note: 'gọi lại' } } }), ZONE, CAMP)!;
    expect(c.extraText).toBe('Nguyễn Văn An L1 Đỗ Thị Ngà gọi lại');
    expect(c.campaign).toBe('AutocallTTS');
    expect(mapTel4vnLead(row({ campaign_name: '' }), ZONE, CAMP)!.campaign).toBe('Nhắc nợ');
  });

  it('a bad time names the lead and the field', () => {
    expect(() => mapTel4vnLead(row({ start_stamp: '07/03/2023 13:34' }), ZONE, CAMP)).toThrow(/lead lead-1 field start_stamp/);
  });

  it('error bodies: a string, an array of strings or objects; no error otherwise', () => {
    expect(tel4vnErrorText({ error: 'campaign is not found' })).toBe('campaign is not found');
    expect(tel4vnErrorText({ error: ['a', { field: 'limit', message: 'too big' }, { code: 7 }] })).toBe('a; limit: too big; {"code":7}');
    expect(tel4vnErrorText({ error: [] })).toBe('error (no details)');
    expect(tel4vnErrorText({ data: [] })).toBeNull();
    expect(tel4vnErrorText({ error: '' })).toBeNull();
    expect(tel4vnErrorText(null)).toBeNull();
  });
});
