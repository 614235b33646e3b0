// Every provider's row mapper on arbitrary provider-shaped input: it maps to a valid call (whole-ms instants a
// Date can hold, whole non-negative seconds, a normalized status) or throws its own clear error, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../electron/data/errors.ts';
import { mapAutodialerTry, mongoDate } from '../../electron/data/providers/autodialer-v4/adapter.ts';
import { mapPbxRow, uniqueidEpochMs, type PbxRow } from '../../electron/data/providers/pbx-cdr/adapter.ts';
import { mapSarvEntry, parseSarvTime, parseTolerantJson } from '../../electron/data/providers/sarv-voice/adapter.ts';
import { mapTel4vnLead, pressKeyText } from '../../electron/data/providers/tel4vn-v3/adapter.ts';
import { mapVoiceotpRecord } from '../../electron/data/providers/voiceotp-v2/adapter.ts';
import { TimeFormatError } from '../../electron/data/time/parse.ts';
import { expectValidCdr, expectValidInstant, fieldValue, ownErrorsOnly, RUNS, rowOf, sarvLikeText, zone } from './arbitraries.ts';

const PBX_FIELDS = ['id', 'uniqueid', 'time', 'time_end', 'caller_id', 'source', 'destination', 'direction', 'user_fullname', 'call_status',
  'call_codes', 'comments', 'recording_file', 'recording_url', 'project', 'transcription_text', 'bill_duration', 'duration', 'ring_time'];
const TEL4VN_FIELDS = ['cdr_uuid', 'lead_uuid', 'status', 'campaign_name', 'phone_number', 'start_stamp', 'answer_stamp', 'end_stamp',
  'duration', 'billsec', 'press_key', 'recording_url', 'record_name', 'lead_name', 'lead_code', 'contract_number', 'list_name', 'additional'];
const VOICEOTP_FIELDS = ['status', 'created_at', 'started_at', 'ended_at', 'duration', 'keypress', 'param', 'campaign_id', 'phone_number', 'user_id'];
const SARV_FIELDS = ['report', 'time_start', 'time_connect', 'time_end', 'duration', 'caller', 'callee', 'number', 'agent', 'recording', 'campaign'];
const AUTODIALER_TRY = ['cdr_id', 'disposition', 'starttime', 'wait', 'cause-txt'];
const AUTODIALER_RECORD = ['_id', 'campaign_id', 'campaign', 'number', 'start', 'billsec'];

describe('provider row mappers never crash and never yield an invalid call', () => {
  it('pbx-cdr mapPbxRow', () => {
    fc.assert(
      fc.property(rowOf(PBX_FIELDS), zone, (row, z) => {
        const c = ownErrorsOnly(() => mapPbxRow(row as PbxRow, z), [Error]);
        if (c) expectValidCdr(c);
      }),
      RUNS,
    );
  });

  it('tel4vn-v3 mapTel4vnLead', () => {
    fc.assert(
      fc.property(rowOf(TEL4VN_FIELDS), zone, fc.record({ id: fc.option(fc.string()), name: fc.option(fc.string()) }), (row, z, campaign) => {
        const c = ownErrorsOnly(() => mapTel4vnLead(row as Parameters<typeof mapTel4vnLead>[0], z, campaign), [Error]);
        if (c) expectValidCdr(c);
      }),
      RUNS,
    );
  });

  it('voiceotp-v2 mapVoiceotpRecord', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), rowOf(VOICEOTP_FIELDS), zone, (id, row, z) => {
        const c = ownErrorsOnly(() => mapVoiceotpRecord(id, row, z, 'Hanoi OTP'), [UserError]);
        if (c) expectValidCdr(c);
      }),
      RUNS,
    );
  });

  it('sarv-voice mapSarvEntry', () => {
    const entry = fc.record({ status: fieldValue, desc: fieldValue, data: fc.oneof(rowOf(SARV_FIELDS), fc.constant(undefined)) }, { requiredKeys: [], noNullPrototype: true });
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), entry, zone, (id, e, z) => {
        const c = ownErrorsOnly(() => mapSarvEntry(id, e as Parameters<typeof mapSarvEntry>[1], z, 'Pune Voice'), [UserError]);
        if (c) expectValidCdr(c);
      }),
      RUNS,
    );
  });

  it('autodialer-v4 mapAutodialerTry', () => {
    const record = fc.tuple(rowOf(AUTODIALER_RECORD), fc.option(fc.array(rowOf(AUTODIALER_TRY), { maxLength: 3 }))).map(([r, tries]) => (tries ? { ...r, tries } : r));
    const info = fc.option(rowOf(['duration', 'wait', 'channel']));
    fc.assert(
      fc.property(record, rowOf(AUTODIALER_TRY), info, (rec, t, i) => {
        const c = ownErrorsOnly(() => mapAutodialerTry(rec, t, i), [Error]);
        if (c) expectValidCdr(c);
      }),
      RUNS,
    );
  });
});

describe('provider field parsers', () => {
  it('autodialer-v4 mongoDate: a valid instant, null, or its own error', () => {
    fc.assert(fc.property(fieldValue, (v) => expectValidInstant(ownErrorsOnly(() => mongoDate(v), [Error]) ?? null)), RUNS);
  });

  it('pbx-cdr uniqueidEpochMs: a valid instant or null', () => {
    fc.assert(fc.property(fc.oneof(fieldValue, fc.stringMatching(/^\d{9,11}(\.\d{1,6})?$/)), (v) => expectValidInstant(uniqueidEpochMs(v))), RUNS);
  });

  it('sarv-voice parseSarvTime: a valid instant, null, or TimeFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(sarvLikeText, fieldValue), zone, (v, z) => expectValidInstant(ownErrorsOnly(() => parseSarvTime(v, z), [TimeFormatError]) ?? null)),
      RUNS,
    );
  });

  it('tel4vn-v3 pressKeyText: text or null, whatever the field holds', () => {
    fc.assert(
      fc.property(fc.oneof(fieldValue, fc.jsonValue().map((j) => JSON.stringify(j))), (v) => {
        const k = pressKeyText(v);
        expect(k === null || (typeof k === 'string' && k.length > 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('sarv-voice parseTolerantJson: parses all valid JSON as JSON.parse does, and fails only with SyntaxError', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => { expect(parseTolerantJson(JSON.stringify(j, null, 1))).toEqual(JSON.parse(JSON.stringify(j))); }), RUNS);
    // Trailing commas (Sarv's quirk) anywhere are accepted.
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 4 }), (list, obj) => {
        const text = `{"list":[${list.join(',')},],"obj":{${Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')},}, }`;
        expect(parseTolerantJson(text)).toEqual(JSON.parse(JSON.stringify({ list, obj })));
      }),
      RUNS,
    );
    // Arbitrary text, and valid JSON cut anywhere: a value or a SyntaxError, nothing else.
    const cut = fc.tuple(fc.jsonValue(), fc.nat()).map(([j, n]) => { const s = JSON.stringify(j) ?? ''; return s.slice(0, n % (s.length + 1)); });
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), cut), (s) => { ownErrorsOnly(() => parseTolerantJson(s), [SyntaxError]); }), RUNS);
  });
});
