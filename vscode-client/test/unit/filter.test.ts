// The findings filter language.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter } from '../../src/pure/filter';
import { Finding } from '../../src/pure/model';

const base: Finding = {
  id: 'x',
  ruleId: 'B602',
  tool: 'bandit',
  message: 'subprocess call with shell=True identified, security issue.',
  severity: 'high',
  bucket: 'out-of-cycle',
  state: 'open',
};

function matches(filter: string, f: Finding = base, rel = 'src/py/report_worker.py'): boolean {
  const parsed = parseFilter(filter);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.predicate(f, rel);
}

describe('parseFilter', () => {
  it('matches free words against message, rule, tool and path, all words required', () => {
    assert.equal(matches('shell'), true);
    assert.equal(matches('SHELL b602'), true);
    assert.equal(matches('report_worker'), true);
    assert.equal(matches('shell eslint'), false);
  });

  it('treats an empty filter as matching everything', () => {
    assert.equal(matches('   '), true);
  });

  it('supports keyed terms', () => {
    assert.equal(matches('tool:band rule:b60'), true);
    assert.equal(matches('file:src/py'), true);
    assert.equal(matches('file:src/js'), false);
    assert.equal(matches('bucket:out-of-cycle'), true);
    assert.equal(matches('bucket:immediate'), false);
    assert.equal(matches('status:open'), true);
    assert.equal(matches('status:false_positive', { ...base, triage: { status: 'false_positive' } }), true);
  });

  it('treats sev: as a minimum', () => {
    assert.equal(matches('sev:medium'), true);
    assert.equal(matches('sev:high'), true);
    assert.equal(matches('sev:critical'), false);
  });

  it('rejects unknown keys and bad values instead of hiding everything', () => {
    const unknown = parseFilter('severity:high');
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.error, /unknown filter key "severity:"/);
    assert.equal(parseFilter('sev:urgent').ok, false);
    assert.equal(parseFilter('bucket:soon').ok, false);
  });

  it('takes URLs as free text', () => {
    assert.equal(matches('https://cwe.mitre.org', { ...base, message: 'see https://cwe.mitre.org/78' }), true);
  });
});
