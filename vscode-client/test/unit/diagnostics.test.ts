// Findings built from diagnostics, for servers without aspm/findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticLike, findingFromDiagnostic, findingsFromDiagnostics } from '../../src/pure/diagnostics';

const diag: DiagnosticLike = {
  uri: 'file:///ws/src/py/report_worker.py',
  message: 'subprocess call with shell=True identified, security issue.',
  severity: 0,
  code: { value: 'B602', target: 'https://bandit.readthedocs.io/en/latest/plugins/b602.html' },
  source: 'bandit',
  range: { startLine: 21, startCharacter: 4, endLine: 21, endCharacter: 40 },
  data: { findingId: '3f9c0e61a2b4d7c8' },
};

describe('findingFromDiagnostic', () => {
  it('takes id, rule, help link and tool from the diagnostic as aspm-ls publishes it', () => {
    const f = findingFromDiagnostic(diag);
    assert.equal(f.id, '3f9c0e61a2b4d7c8');
    assert.equal(f.ruleId, 'B602');
    assert.equal(f.helpUri, 'https://bandit.readthedocs.io/en/latest/plugins/b602.html');
    assert.equal(f.tool, 'bandit');
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.range, diag.range);
  });

  it('never claims "immediate" from severity alone', () => {
    assert.equal(findingFromDiagnostic(diag).bucket, 'out-of-cycle');
    assert.equal(findingFromDiagnostic({ ...diag, severity: 1 }).bucket, 'scheduled');
    assert.equal(findingFromDiagnostic({ ...diag, severity: 3 }).bucket, 'backlog');
  });

  it('prefers the bucket, then the risk score, the server put in data', () => {
    assert.equal(findingFromDiagnostic({ ...diag, data: { findingId: 'a', bucket: 'immediate' } }).bucket, 'immediate');
    const scored = findingFromDiagnostic({ ...diag, data: { findingId: 'a', risk: { score: 850 } } });
    assert.equal(scored.bucket, 'immediate');
    assert.equal(scored.riskScore, 850);
    assert.equal(findingFromDiagnostic({ ...diag, data: { findingId: 'a', severity: 'critical' } }).severity, 'critical');
  });

  it('accepts plain string and number codes and missing data', () => {
    const f = findingFromDiagnostic({ ...diag, code: 'SC2086', data: undefined, source: 'shellcheck' });
    assert.equal(f.ruleId, 'SC2086');
    assert.equal(f.helpUri, undefined);
    assert.match(f.id, /shellcheck:SC2086$/);
    assert.equal(findingFromDiagnostic({ ...diag, code: 2086, data: 'junk' }).ruleId, '2086');
  });
});

describe('findingsFromDiagnostics', () => {
  it('keeps one finding per id when push and pull both deliver it', () => {
    const out = findingsFromDiagnostics([diag, { ...diag }, { ...diag, data: { findingId: 'other' } }]);
    assert.deepEqual(
      out.map((f) => f.id),
      ['3f9c0e61a2b4d7c8', 'other'],
    );
  });
});
