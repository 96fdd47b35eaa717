// Decides which aspm-ls binary to start, in the documented order: the `aspm.server.path`
// setting, then a binary shipped inside the extension for this platform, then PATH. File-system
// checks are injected so the order and the error text are unit-tested without touching disk.

import * as path from 'path';

export type ServerOrigin = 'setting' | 'bundled' | 'PATH';

export type ResolvedServer =
  | { ok: true; command: string; origin: ServerOrigin }
  | { ok: false; error: string; tried: string[] };

export interface ResolveInput {
  setting: string;
  extensionPath: string;
  workspaceFolder?: string;
  platform: string; // process.platform
  arch: string; // process.arch
  envPath: string; // process.env.PATH
  home: string;
  isExecutable: (file: string) => boolean;
}

export function executableName(platform: string): string {
  return platform === 'win32' ? 'aspm-ls.exe' : 'aspm-ls';
}

// vsce's --target names (linux-x64, darwin-arm64, win32-x64), so a per-platform .vsix and the
// folder inside it use the same word.
export function bundledServerPath(extensionPath: string, platform: string, arch: string): string {
  return path.join(extensionPath, 'server', `${platform}-${arch}`, executableName(platform));
}

function expandSetting(setting: string, home: string, workspaceFolder: string | undefined): string {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/')) {
    p = path.join(home, p.slice(1));
  }
  if (workspaceFolder !== undefined) {
    p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (!path.isAbsolute(p) && workspaceFolder !== undefined && (p.includes('/') || p.includes('\\'))) {
    p = path.join(workspaceFolder, p);
  }
  return p;
}

export function resolveServer(input: ResolveInput): ResolvedServer {
  const tried: string[] = [];
  const exe = executableName(input.platform);
  if (input.setting.trim() !== '') {
    const p = expandSetting(input.setting, input.home, input.workspaceFolder);
    // A bare name ("aspm-ls-dev") is looked up on PATH like a shell would.
    if (!p.includes('/') && !p.includes('\\')) {
      const found = searchPath(p, input);
      if (found !== undefined) {
        return { ok: true, command: found, origin: 'setting' };
      }
      return { ok: false, error: `aspm.server.path is "${input.setting}", which is not on PATH`, tried: [p] };
    }
    if (input.isExecutable(p)) {
      return { ok: true, command: p, origin: 'setting' };
    }
    return { ok: false, error: `aspm.server.path is "${input.setting}", but ${p} is not an executable file`, tried: [p] };
  }
  const bundled = bundledServerPath(input.extensionPath, input.platform, input.arch);
  tried.push(bundled);
  if (input.isExecutable(bundled)) {
    return { ok: true, command: bundled, origin: 'bundled' };
  }
  const found = searchPath(exe, input);
  if (found !== undefined) {
    return { ok: true, command: found, origin: 'PATH' };
  }
  tried.push(`${exe} on PATH`);
  return {
    ok: false,
    error: `cannot find ${exe}: set aspm.server.path, or put ${exe} on PATH (tried ${tried.join(', ')})`,
    tried,
  };
}

function searchPath(exe: string, input: ResolveInput): string | undefined {
  const sep = input.platform === 'win32' ? ';' : ':';
  for (const dir of input.envPath.split(sep)) {
    if (dir === '') {
      continue;
    }
    const candidate = path.join(dir, exe);
    if (input.isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
