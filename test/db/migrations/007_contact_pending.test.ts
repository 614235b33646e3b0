// The contact/pending migration on a database of the version before it, holding calls of TEL4VN v3, TEL4VN v2 and
// a provider that names nobody: contact filled from the stored records as the adapters map them, 'pending'
// accepted by the status check (a bogus status still refused), the search index untouched and the file sound.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion, SCHEMA_VERSION } from '../../../electron/data/db/migrate.ts';
import { migration007 } from '../../../electron/data/db/migrations/007_contact_pending.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { mapTel4vnLead } from '../../../electron/data/providers/tel4vn-v3/adapter.ts';
import { mapVoiceotpRecord } from '../../../electron/data/providers/voiceotp-v2/adapter.ts';
import { tempDir } from '../../helpers/tmp.ts';

const BEFORE = MIGRATIONS.indexOf(migration007);

const tel4vnRow = (leadName: unknown) => ({
  cdr_uuid: `cdr-${String(leadName)}`, lead_uuid: 'l', lead_name: leadName, campaign_name: 'AutocallTTS', phone_number: '0775702541',
  status: 'answered', start_stamp: '2023-03-07 13:34:26', end_stamp: '2023-03-07 13:34:57', answer_stamp: '2023-03-07 13:34:35',
  duration: 31, billsec: 22, additional: { ten: 'Đỗ Thị Ngà' },
});
const voiceotpRecord = (param: unknown) => ({
  id: 'x', campaign_id: '1', created_at: '2021-01-11 11:28:45', started_at: '2021-01-11 11:28:54', ended_at: '2021-01-11 11:29:09',
  duration: 15, keypress: '127', phone_number: '0987654321', status: 'ANSWERED', user_id: '5', param,
});

describe('migration: contact and pending', () => {
  it('fills contact from the stored records, accepts pending, keeps the search index', () => {
    expect(BEFORE).toBeGreaterThan(0);
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, BEFORE));
    const account = db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (?, ?, ?, 'http://x', 'UTC', 0, 0)");
    account.run(1, 'Autocall', 'tel4vn-v3');
    account.run(2, 'OTP', 'voiceotp-v2');
    account.run(3, 'PBX', 'pbx-cdr');
    const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, status, raw, search_text, first_seen_at, updated_at)
                               VALUES (?, ?, 'answered', ?, ?, 0, 0)`);
    const tel4vn = [tel4vnRow('Nguyễn Văn A'), tel4vnRow(''), tel4vnRow('  Trần Thị B\u00a0'), tel4vnRow(42)];
    const voiceotp = [
      voiceotpRecord(JSON.stringify({ customer_name: 'Lê Minh Châu', due_amount: '10.410.000' })),
      voiceotpRecord(JSON.stringify({ template_name: 'otp' })),
      voiceotpRecord('not json'),
      voiceotpRecord(''),
    ];
    tel4vn.forEach((r, i) => insert.run(1, `t${i}`, JSON.stringify(r), `name${i}`));
    voiceotp.forEach((r, i) => insert.run(2, `v${i}`, JSON.stringify(r), `otp${i}`));
    insert.run(3, 'p0', JSON.stringify({ caller_id: '"John Doe" <0312000000>', lead_name: 'not a pbx field' }), 'pbx');
    db.exec("INSERT INTO cdrs_fts(cdrs_fts) VALUES ('rebuild')");

    migrate(db, file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const contacts = Object.fromEntries(db.prepare('SELECT call_id, contact FROM cdrs').raw().all() as [string, string | null][]);
    // As the adapters map the same records.
    tel4vn.forEach((r, i) => {
      const mapped = mapTel4vnLead(r, 'UTC', { id: 'c', name: null })!.contact ?? null;
      expect(contacts[`t${i}`], `lead_name ${JSON.stringify(r.lead_name)}`).toBe(mapped);
    });
    expect(tel4vn.map((r) => mapTel4vnLead(r, 'UTC', { id: 'c', name: null })!.contact)).toEqual(['Nguyễn Văn A', null, 'Trần Thị B', null]);
    voiceotp.forEach((r, i) => expect(contacts[`v${i}`]).toBe(mapVoiceotpRecord(`v${i}`, r, 'UTC', 'OTP').contact ?? null));
    expect([contacts.v0, contacts.v1, contacts.v2]).toEqual(['Lê Minh Châu', null, null]);
    expect(contacts.p0).toBeNull();

    const setStatus = db.prepare("UPDATE cdrs SET status = ? WHERE call_id = 't0'");
    setStatus.run('pending');
    expect(() => setStatus.run('ringing')).toThrow(/CHECK constraint/);
    expect(db.prepare("SELECT rowid FROM cdrs_fts WHERE cdrs_fts MATCH 'name1'").pluck().all()).toHaveLength(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // A fresh connection reads the rewritten schema.
    const again = new BetterSqlite3(file);
    expect(() => again.prepare("INSERT INTO cdrs (account_id, call_id, status, raw, first_seen_at, updated_at) VALUES (3, 'p1', 'pending', '{}', 0, 0)").run()).not.toThrow();
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });
});
