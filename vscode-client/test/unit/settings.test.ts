// The settings object sent to aspm-ls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverSettings } from '../../src/pure/settings';

function from(values: Record<string, unknown>) {
  return (key: string): unknown => values[key];
}

describe('serverSettings', () => {
  it('fills defaults for a fresh install, leaving the report globs to the server', () => {
    assert.deepEqual(serverSettings(from({})), {
      minSeverity: 'info',
      store: { url: '', project: '' },
      policy: '',
      codeLens: { enabled: true },
    });
  });

  it('passes the user values through, cleaned', () => {
    const s = serverSettings(
      from({
        sarif: [' reports/*.sarif ', '', 42, '.aspm/**'],
        minSeverity: 'HIGH',
        'store.url': 'https://aspm.example.com/',
        'store.project': 'notes',
        policy: '.aspm/policy.yaml',
        'codeLens.enabled': false,
        revision: ' v1.4.0 ',
      }),
      'tok-123456',
    );
    assert.deepEqual(s, {
      minSeverity: 'high',
      store: { url: 'https://aspm.example.com', project: 'notes', token: 'tok-123456' },
      policy: '.aspm/policy.yaml',
      codeLens: { enabled: false },
      revision: 'v1.4.0',
      sarif: ['reports/*.sarif', '.aspm/**'],
    });
  });

  it('replaces an unknown minimum severity by the default instead of hiding everything', () => {
    assert.equal(serverSettings(from({ minSeverity: 'urgent' })).minSeverity, 'info');
  });

  it('keeps an explicitly empty glob list (the user turned loading off)', () => {
    assert.deepEqual(serverSettings(from({ sarif: [] })).sarif, []);
    assert.equal('sarif' in serverSettings(from({ sarif: null })), false);
  });

  it('sends a revision only when one is set, so reports that name their commit are not overridden', () => {
    assert.equal('revision' in serverSettings(from({ revision: '  ' })), false);
    assert.equal(serverSettings(from({ revision: 'main' })).revision, 'main');
  });
});
