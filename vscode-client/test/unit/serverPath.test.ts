// Which aspm-ls binary is started, in the documented order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResolveInput, resolveServer } from '../../src/pure/serverPath';

function input(executables: string[], over: Partial<ResolveInput> = {}): ResolveInput {
  const set = new Set(executables);
  return {
    setting: '',
    extensionPath: '/ext',
    workspaceFolder: '/ws',
    platform: 'linux',
    arch: 'x64',
    envPath: '/usr/local/bin:/usr/bin',
    home: '/home/dev',
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

describe('resolveServer', () => {
  it('uses the setting first, expanding ~ and ${workspaceFolder}', () => {
    assert.deepEqual(resolveServer(input(['/home/dev/bin/aspm-ls'], { setting: '~/bin/aspm-ls' })), {
      ok: true,
      command: '/home/dev/bin/aspm-ls',
      origin: 'setting',
    });
    const r = resolveServer(input(['/ws/build/bin/aspm-ls'], { setting: '${workspaceFolder}/build/bin/aspm-ls' }));
    assert.equal(r.ok && r.command, '/ws/build/bin/aspm-ls');
  });

  it('resolves a relative setting against the workspace folder', () => {
    const r = resolveServer(input(['/ws/build/bin/aspm-ls'], { setting: 'build/bin/aspm-ls' }));
    assert.equal(r.ok && r.command, '/ws/build/bin/aspm-ls');
  });

  it('looks a bare command name in the setting up on PATH', () => {
    const r = resolveServer(input(['/usr/bin/aspm-ls-dev'], { setting: 'aspm-ls-dev' }));
    assert.equal(r.ok && r.command, '/usr/bin/aspm-ls-dev');
  });

  it('does not fall back when the setting names a missing file: the user asked for that one', () => {
    const r = resolveServer(input(['/usr/bin/aspm-ls', '/ext/server/linux-x64/aspm-ls'], { setting: '/opt/aspm-ls' }));
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /\/opt\/aspm-ls is not an executable file/);
  });

  it('prefers the binary shipped for this platform over PATH', () => {
    const r = resolveServer(input(['/usr/bin/aspm-ls', '/ext/server/linux-x64/aspm-ls']));
    assert.deepEqual(r, { ok: true, command: '/ext/server/linux-x64/aspm-ls', origin: 'bundled' });
  });

  it('searches PATH in order', () => {
    const r = resolveServer(input(['/usr/bin/aspm-ls', '/usr/local/bin/aspm-ls']));
    assert.deepEqual(r, { ok: true, command: '/usr/local/bin/aspm-ls', origin: 'PATH' });
  });

  it('names everything it tried when nothing is found', () => {
    const r = resolveServer(input([]));
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /set aspm\.server\.path.*\/ext\/server\/linux-x64\/aspm-ls, aspm-ls on PATH/);
  });

  it('uses .exe and ; on Windows', () => {
    const r = resolveServer(input(['C:\\tools/aspm-ls.exe'], { platform: 'win32', envPath: 'C:\\tools;C:\\bin' }));
    assert.equal(r.ok && r.origin, 'PATH');
  });
});
