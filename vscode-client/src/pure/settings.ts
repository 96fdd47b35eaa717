// The `aspm` settings the server reads, built from VS Code's configuration. The same object is
// sent as initializationOptions and as the answer to workspace/configuration for the `aspm`
// section, so the server sees one shape whichever way it asks. Client-only settings (server
// path, trace) are left out; the store token is added from SecretStorage, never from settings.
// `sarif` is sent only when the user set it, so the server's own default (which knows which
// report formats it reads) applies otherwise.

export const MIN_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

export interface ServerSettings {
  sarif?: string[];
  minSeverity: string;
  store: { url: string; project: string; token?: string };
  policy: string;
  codeLens: { enabled: boolean };
  revision?: string;
}

// `get` reads one key below `aspm.` (VS Code's WorkspaceConfiguration.get, or a map in tests).
export function serverSettings(get: (key: string) => unknown, token?: string): ServerSettings {
  const str = (key: string, dflt: string): string => {
    const v = get(key);
    return typeof v === 'string' ? v.trim() : dflt;
  };
  const sarifRaw = get('sarif');
  const minSeverity = str('minSeverity', 'info').toLowerCase();
  const codeLens = get('codeLens.enabled');
  const settings: ServerSettings = {
    minSeverity: MIN_SEVERITIES.includes(minSeverity) ? minSeverity : 'info',
    store: { url: str('store.url', '').replace(/\/+$/, ''), project: str('store.project', '') },
    policy: str('policy', ''),
    codeLens: { enabled: typeof codeLens === 'boolean' ? codeLens : true },
  };
  if (Array.isArray(sarifRaw)) {
    settings.sarif = sarifRaw.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
  }
  const revision = str('revision', '');
  if (revision !== '') {
    settings.revision = revision;
  }
  if (token !== undefined && token !== '') {
    settings.store.token = token;
  }
  return settings;
}

// Settings whose change needs a new server process rather than a didChangeConfiguration.
export const RESTART_KEYS = ['aspm.server.path'];
