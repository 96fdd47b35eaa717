// Triage input validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRIAGE_STATUSES, parseExpiry, validateReason } from '../../src/pure/triage';

const today = new Date(Date.UTC(2026, 0, 31, 15, 30));
const byId = (id: string) => TRIAGE_STATUSES.find((s) => s.id === id)!;

describe('parseExpiry', () => {
  it('accepts durations from today', () => {
    assert.deepEqual(parseExpiry('30d', today), { ok: true, date: '2026-03-02' });
    assert.deepEqual(parseExpiry('2w', today), { ok: true, date: '2026-02-14' });
    assert.deepEqual(parseExpiry(' 6M ', today), { ok: true, date: '2026-07-31' });
    assert.deepEqual(parseExpiry('1y', today), { ok: true, date: '2027-01-31' });
  });

  it('accepts calendar dates and rejects impossible ones', () => {
    assert.deepEqual(parseExpiry('2026-04-30', today), { ok: true, date: '2026-04-30' });
    assert.equal(parseExpiry('2026-02-30', today).ok, false);
  });

  it('rejects past, today, too far and unreadable input with a message', () => {
    for (const bad of ['2026-01-31', '2025-12-01', '0d', '2y', 'next week', '']) {
      const r = parseExpiry(bad, today);
      assert.equal(r.ok, false, bad);
      assert.ok(!r.ok && r.error.length > 0);
    }
  });
});

describe('validateReason', () => {
  it('requires a reason where the decision needs one to be reviewed', () => {
    assert.match(validateReason(byId('false_positive'), ' ok ') ?? '', /reason is required/);
    assert.equal(validateReason(byId('false_positive'), 'input is a constant'), undefined);
    assert.equal(validateReason(byId('fixed'), ''), undefined);
  });

  it('asks for an expiry only for accepted risk', () => {
    assert.deepEqual(
      TRIAGE_STATUSES.filter((s) => s.needsExpiry).map((s) => s.id),
      ['accepted_risk'],
    );
  });
});
