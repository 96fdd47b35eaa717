// The finding store's access token, kept in VS Code's SecretStorage (the OS keychain where there
// is one), keyed by store URL so switching stores never sends one store's token to another. The
// token reaches aspm-ls through initializationOptions / workspace/configuration and ASPM_TOKEN,
// never through settings.json.

import * as vscode from 'vscode';

export class TokenStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(TokenStore.prefix)) {
        this.emitter.fire();
      }
    });
  }

  static readonly prefix = 'aspm.store.token:';

  private static key(url: string): string {
    return TokenStore.prefix + url.replace(/\/+$/, '');
  }

  get(url: string): Thenable<string | undefined> {
    return this.secrets.get(TokenStore.key(url));
  }

  set(url: string, token: string): Thenable<void> {
    return this.secrets.store(TokenStore.key(url), token);
  }

  delete(url: string): Thenable<void> {
    return this.secrets.delete(TokenStore.key(url));
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
