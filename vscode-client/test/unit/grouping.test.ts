// Grouping, ordering and counting of findings for the tree and the status bar.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareFindings, countOpenByBucket, groupFindings, isOpen } from '../../src/pure/grouping';
import { Finding } from '../../src/pure/model';

function finding(over: Partial<Finding>): Finding {
  return {
    id: over.id ?? 'id',
    ruleId: 'R1',
    tool: 'bandit',
    message: 'm',
    severity: 'medium',
    bucket: 'scheduled',
    state: 'open',
    uri: 'file:///ws/a.py',
    range: { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 5 },
    ...over,
  };
}

const rel = (uri: string): string => uri.replace('file:///ws/', '');

describe('groupFindings', () => {
  const findings = [
    finding({ id: '1', bucket: 'backlog', tool: 'flawfinder', ruleId: 'FF1001', uri: 'file:///ws/c.c' }),
    finding({ id: '2', bucket: 'immediate', riskScore: 900, uri: 'file:///ws/b.py', ruleId: 'B602' }),
    finding({ id: '3', bucket: 'out-of-cycle', uri: 'file:///ws/b.py', ruleId: 'B602' }),
    finding({ id: '4', bucket: 'immediate', riskScore: 950, uri: 'file:///ws/a.py', ruleId: 'B105' }),
  ];

  it('orders buckets by urgency and findings by risk inside a bucket', () => {
    const groups = groupFindings(findings, 'bucket', rel);
    assert.deepEqual(
      groups.map((g) => [g.label, g.findings.map((f) => f.id)]),
      [
        ['Immediate', ['4', '2']],
        ['Out of cycle', ['3']],
        ['Backlog', ['1']],
      ],
    );
  });

  it('labels files by workspace-relative path, most urgent file first', () => {
    const groups = groupFindings(findings, 'file', rel);
    assert.deepEqual(
      groups.map((g) => [g.label, g.findings.length]),
      [
        ['a.py', 1],
        ['b.py', 2],
        ['c.c', 1],
      ],
    );
  });

  it('groups rules per tool, largest group first', () => {
    const groups = groupFindings(findings, 'rule', rel);
    assert.deepEqual(
      groups.map((g) => [g.label, g.findings.length]),
      [
        ['B602', 2],
        ['B105', 1],
        ['FF1001', 1],
      ],
    );
  });

  it('puts findings without a location in their own file group', () => {
    const gone = finding({ id: 'g', uri: undefined, range: undefined, state: 'gone' });
    const groups = groupFindings([gone], 'file', rel);
    assert.equal(groups[0].label, '(no current location)');
  });

  it('is stable: equal findings are ordered by place, then id', () => {
    const a = finding({ id: 'a', range: { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 1 } });
    const b = finding({ id: 'b', range: { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 1 } });
    const c = finding({ id: 'c', range: { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 1 } });
    assert.deepEqual([a, c, b].sort(compareFindings).map((f) => f.id), ['b', 'c', 'a']);
  });
});

describe('countOpenByBucket', () => {
  it('counts only findings that still need a decision', () => {
    const counts = countOpenByBucket([
      finding({ bucket: 'immediate' }),
      finding({ bucket: 'immediate', triage: { status: 'false_positive' } }),
      finding({ bucket: 'immediate', triage: { status: 'open' } }),
      finding({ bucket: 'out-of-cycle', state: 'suppressed' }),
      finding({ bucket: 'out-of-cycle' }),
      finding({ bucket: 'backlog', state: 'gone' }),
    ]);
    assert.deepEqual(counts, { immediate: 2, 'out-of-cycle': 1, scheduled: 0, backlog: 0 });
  });

  it('treats moved and stale findings as open', () => {
    assert.equal(isOpen(finding({ state: 'moved' })), true);
    assert.equal(isOpen(finding({ state: 'stale' })), true);
  });
});
