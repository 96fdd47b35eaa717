// Reading the server's capabilities and aspm/findings answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingFromWire, serverFeatures } from '../../src/pure/protocol';
import { statusView } from '../../src/pure/status';

describe('serverFeatures', () => {
  it('finds nothing in a server that advertises no extension', () => {
    const f = serverFeatures({ hoverProvider: true, textDocumentSync: 2 });
    assert.equal(f.hover, true);
    assert.equal(f.findings || f.explain || f.gate || f.triage || f.codeActions || f.codeLens, false);
  });

  it('reads experimental.aspm and the executeCommand list', () => {
    const f = serverFeatures({
      experimental: { aspm: { findings: true, explain: {}, gate: false } },
      executeCommandProvider: { commands: ['aspm.triage'] },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    });
    assert.deepEqual(
      [f.findings, f.explain, f.gate, f.triage, f.storeSync, f.codeActions],
      [true, true, false, true, false, true],
    );
  });

  it('survives junk', () => {
    assert.equal(serverFeatures(null).findings, false);
    assert.equal(serverFeatures({ experimental: { aspm: 'yes' }, executeCommandProvider: { commands: 'x' } }).triage, false);
  });
});

describe('findingFromWire', () => {
  it('converts an LSP range and derives the bucket from the score when none is given', () => {
    const f = findingFromWire({
      id: 'abc',
      ruleId: 'B602',
      tool: 'bandit',
      message: 'shell=True',
      severity: 'high',
      risk: { score: 640 },
      location: { uri: 'file:///ws/a.py', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } } },
      triage: null,
    });
    assert.equal(f.bucket, 'out-of-cycle');
    assert.deepEqual(f.range, { startLine: 3, startCharacter: 4, endLine: 3, endCharacter: 9 });
    assert.equal(f.triage, undefined);
  });

  it('keeps a finding whose code is gone, without a location', () => {
    const f = findingFromWire({ id: 'g', state: 'gone', location: null, bucket: 'immediate' });
    assert.equal(f.uri, undefined);
    assert.equal(f.bucket, 'immediate');
    assert.equal(f.severity, 'medium');
  });

  it("takes the server's bucket over the score, with aspm-ls's defer shown as the backlog", () => {
    assert.equal(findingFromWire({ id: 'd', bucket: 'defer', risk: { score: 900 } }).bucket, 'backlog');
    assert.equal(findingFromWire({ id: 's', bucket: 'scheduled', risk: { score: 900 } }).bucket, 'scheduled');
  });
});

describe('statusView', () => {
  const counts = { immediate: 2, 'out-of-cycle': 3, scheduled: 1, backlog: 4 };

  it('shows the urgent counts and no store part without a store', () => {
    const v = statusView('running', counts, 10, undefined);
    assert.equal(v.text, '$(shield) 2 immediate · 3 out-of-cycle');
    assert.equal(v.alert, 'error');
    assert.match(v.tooltip, /No finding store configured/);
  });

  it('shows the store state, with the queue length when offline', () => {
    assert.match(statusView('running', counts, 10, { state: 'synced' }).text, /synced$/);
    const off = statusView('running', counts, 10, { state: 'offline', queued: 1 });
    assert.match(off.text, /offline, 1 queued$/);
    assert.match(off.tooltip, /1 decision queued/);
    const err = statusView('running', { ...counts, immediate: 0, 'out-of-cycle': 0 }, 5, { state: 'error', message: '401' });
    assert.equal(err.alert, 'warning');
    assert.match(err.tooltip, /401/);
  });

  it('says when the server is not running', () => {
    assert.equal(statusView('failed', counts, 0, undefined).alert, 'error');
    assert.match(statusView('starting', counts, 0, undefined).text, /spin/);
  });
});
