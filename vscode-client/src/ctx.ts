// Owns the language client's whole life: finding the aspm-ls binary, starting it with the user's
// settings, restarting it with backoff when it crashes, and disposing everything a client run
// registered. Every other part of the extension talks to the server through this class, so
// "is the server up, and does it offer X" is answered in one place.

import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  NotificationType,
  RequestType,
  ResponseError,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import * as lsp_ext from './lsp_ext';
import { RestartPolicy } from './pure/backoff';
import { DiagnosticLike } from './pure/diagnostics';
import { ServerFeatures, StoreStatus, serverFeatures } from './pure/protocol';
import { resolveServer } from './pure/serverPath';
import { ServerSettings, serverSettings } from './pure/settings';
import { ServerState } from './pure/status';
import { TokenStore } from './store';

// JSON-RPC's MethodNotFound.
const METHOD_NOT_FOUND = -32601;

export class Unsupported {
  constructor(readonly what: string) {}
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.OutputChannel;
  private readonly trace: vscode.OutputChannel;
  private client: LanguageClient | undefined;
  // Registrations tied to one client run; disposed with it.
  private clientDisposables: vscode.Disposable[] = [];
  // Registrations for the extension's lifetime.
  private readonly disposables: vscode.Disposable[] = [];
  private readonly policy = new RestartPolicy();
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  // Bumped on every start so a late callback from an old client run cannot touch the new one.
  private generation = 0;
  private crashedGeneration = -1;
  // Methods this server answered with MethodNotFound although it did not advertise them either.
  private readonly missing = new Set<string>();

  private _state: ServerState = 'stopped';
  private _features: ServerFeatures = serverFeatures(undefined);
  private _storeStatus: StoreStatus | undefined;

  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly storeEmitter = new vscode.EventEmitter<StoreStatus | undefined>();
  private readonly findingsChangedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeStoreStatus = this.storeEmitter.event;
  readonly onDidChangeFindings = this.findingsChangedEmitter.event;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    readonly tokens: TokenStore,
  ) {
    this.log = vscode.window.createOutputChannel('aspm Language Server');
    this.trace = vscode.window.createOutputChannel('aspm Language Server Trace');
    this.disposables.push(
      this.log,
      this.trace,
      this.stateEmitter,
      this.storeEmitter,
      this.findingsChangedEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      tokens.onDidChange(() => void this.pushSettings()),
    );
  }

  get state(): ServerState {
    return this._state;
  }
  get features(): ServerFeatures {
    return this._features;
  }
  get storeStatus(): StoreStatus | undefined {
    return this._storeStatus;
  }
  get languageClient(): LanguageClient | undefined {
    return this._state === 'running' ? this.client : undefined;
  }

  info(message: string): void {
    this.log.appendLine(`[client ${new Date().toISOString()}] ${message}`);
  }

  async settings(): Promise<ServerSettings> {
    const config = vscode.workspace.getConfiguration('aspm');
    const url = serverSettings((k) => config.get(k)).store.url;
    const token = url !== '' ? await this.tokens.get(url) : undefined;
    return serverSettings((k) => config.get(k), token);
  }

  async start(): Promise<void> {
    this.clearRestartTimer();
    const generation = ++this.generation;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const resolved = resolveServer({
      setting: vscode.workspace.getConfiguration('aspm').get<string>('server.path') ?? '',
      extensionPath: this.extension.extensionPath,
      workspaceFolder: folder,
      platform: process.platform,
      arch: process.arch,
      envPath: process.env.PATH ?? '',
      home: os.homedir(),
      isExecutable,
    });
    if (!resolved.ok) {
      this.info(resolved.error);
      this.setState('failed');
      void this.offerFix(resolved.error, true);
      return;
    }
    this.info(`starting ${resolved.command} (found via ${resolved.origin})`);
    this.setState('starting');

    const settings = await this.settings();
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (settings.store.token !== undefined) {
      env.ASPM_TOKEN = settings.store.token;
    }
    const serverOptions: ServerOptions = {
      command: resolved.command,
      transport: TransportKind.stdio,
      options: { env, ...(folder !== undefined ? { cwd: folder } : {}) },
    };
    const clientOptions: LanguageClientOptions = {
      // Findings can be in any file a scanner looks at: C, Python, shell, YAML, Dockerfiles…
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.log,
      traceOutputChannel: this.trace,
      initializationOptions: settings,
      // Crashes are handled here, with backoff, instead of the client's fixed restart budget.
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => {
          if (!this.stopping && generation === this.generation) {
            this.onCrash(generation);
          }
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        workspace: {
          // Answer the `aspm` section with the shaped settings (and the token from
          // SecretStorage); anything else the server asks for gets VS Code's own values.
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            const current = await this.settings();
            return params.items.map((item, i): unknown => (item.section === 'aspm' ? current : answers[i]));
          },
        },
        // The setting takes effect at once, whatever the server does with it.
        provideCodeLenses: (document, token, next) =>
          vscode.workspace.getConfiguration('aspm', document.uri).get<boolean>('codeLens.enabled', true)
            ? next(document, token)
            : [],
      },
    };
    const client = new LanguageClient('aspm', 'aspm', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(
      client.onDidChangeState((e) => {
        if (generation === this.generation && e.newState === State.Stopped && !this.stopping) {
          this.setState('failed');
        }
      }),
      client.onNotification(lsp_ext.storeStatus, (status) => {
        this._storeStatus = status;
        this.storeEmitter.fire(status);
      }),
      client.onNotification(lsp_ext.findingsChanged, () => this.findingsChangedEmitter.fire()),
    );
    try {
      await client.start();
    } catch (e) {
      if (generation === this.generation) {
        this.info(`aspm-ls failed to start: ${errorText(e)}`);
        this.onCrash(generation);
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    this.policy.started(Date.now());
    this._features = serverFeatures(client.initializeResult?.capabilities);
    const info = client.initializeResult?.serverInfo;
    const offered = Object.entries(this._features).filter(([, v]) => v);
    const missing = Object.entries(this._features).filter(([, v]) => !v);
    this.info(`aspm-ls ${info?.version ?? ''} is running`);
    this.info(`server features offered: ${offered.map(([k]) => k).join(', ') || 'none'}`);
    this.info(`server features missing: ${missing.map(([k]) => k).join(', ') || 'none'}`);
    this.setState('running');
  }

  async stop(): Promise<void> {
    this.clearRestartTimer();
    this.stopping = true;
    try {
      await this.disposeClient();
    } finally {
      this.stopping = false;
    }
    this.setState('stopped');
  }

  // A restart the user asked for: forget earlier crashes and capabilities.
  async restart(): Promise<void> {
    this.policy.reset();
    this.missing.clear();
    await this.stop();
    await this.start();
  }

  // Sends an aspm extension request. Resolves to Unsupported (never throws for that) when the
  // server is not running or does not implement the method, so callers can fall back.
  async request<P, R>(type: RequestType<P, R, void>, params: P, advertised: boolean): Promise<R | Unsupported> {
    const client = this.languageClient;
    if (client === undefined) {
      return new Unsupported('aspm-ls is not running');
    }
    if (!advertised && this.missing.has(type.method)) {
      return new Unsupported(`aspm-ls does not implement ${type.method}`);
    }
    try {
      return await client.sendRequest(type, params);
    } catch (e) {
      if (e instanceof ResponseError && e.code === METHOD_NOT_FOUND) {
        this.missing.add(type.method);
        return new Unsupported(`aspm-ls does not implement ${type.method}`);
      }
      throw e;
    }
  }

  async executeCommand(command: string, args: unknown[]): Promise<unknown> {
    const client = this.languageClient;
    if (client === undefined) {
      throw new Error('aspm-ls is not running');
    }
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> {
    return this.languageClient?.sendNotification(type, params) ?? Promise.resolve();
  }

  // The diagnostics this client produced (pushed or pulled), as plain data for the findings
  // model. Pulled diagnostics live in collections of their own, so they are recognised by the
  // finding id the server puts in `data`.
  diagnostics(): DiagnosticLike[] {
    const client = this.languageClient;
    if (client === undefined) {
      return [];
    }
    const out: DiagnosticLike[] = [];
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      const pushed = new Set(client.diagnostics?.get(uri) ?? []);
      for (const d of diags) {
        const data = (d as { data?: unknown }).data;
        const ours = pushed.has(d) || (typeof data === 'object' && data !== null && 'findingId' in data);
        if (!ours) {
          continue;
        }
        out.push({
          uri: uri.toString(),
          message: d.message,
          severity: d.severity,
          code:
            typeof d.code === 'object' ? { value: d.code.value, target: d.code.target.toString() } : d.code,
          source: d.source,
          range: {
            startLine: d.range.start.line,
            startCharacter: d.range.start.character,
            endLine: d.range.end.line,
            endCharacter: d.range.end.character,
          },
          data,
        });
      }
    }
    return out;
  }

  dispose(): void {
    this.clearRestartTimer();
    this.stopping = true;
    void this.disposeClient();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }

  private setState(state: ServerState): void {
    if (this._state !== state) {
      this._state = state;
      void vscode.commands.executeCommand('setContext', 'aspm.serverRunning', state === 'running');
      this.stateEmitter.fire(state);
    }
    if (state !== 'running') {
      this._storeStatus = undefined;
      this.storeEmitter.fire(undefined);
    }
  }

  private onCrash(generation: number): void {
    // The close handler and a failed start() can both report the same run's end.
    if (this.crashedGeneration === generation) {
      return;
    }
    this.crashedGeneration = generation;
    this.setState('failed');
    const decision = this.policy.crashed(Date.now());
    if (!decision.restart) {
      this.info(`aspm-ls stopped ${decision.crashes} times in a row; not restarting it again`);
      void this.offerFix(`aspm-ls stopped ${decision.crashes} times in a row. See its log for the reason.`, false);
      return;
    }
    this.info(`aspm-ls stopped; restarting in ${decision.delayMs} ms (attempt ${decision.attempt})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (generation === this.generation) {
        void this.disposeClient().then(() => this.start());
      }
    }, decision.delayMs);
  }

  private async disposeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) {
      d.dispose();
    }
    this._features = serverFeatures(undefined);
    if (client !== undefined) {
      try {
        if (client.isRunning()) {
          await client.stop(2000);
        }
      } catch (e) {
        this.info(`stopping aspm-ls: ${errorText(e)}`);
      }
      try {
        await client.dispose();
      } catch {
        // Already stopped; nothing left to release.
      }
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer !== undefined) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }

  private async offerFix(message: string, pathProblem: boolean): Promise<void> {
    const actions = pathProblem ? ['Open Settings', 'Show Log'] : ['Restart', 'Show Log'];
    const choice = await vscode.window.showErrorMessage(`aspm: ${message}`, ...actions);
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'aspm.server.path');
    } else if (choice === 'Show Log') {
      this.log.show(true);
    } else if (choice === 'Restart') {
      await this.restart();
    }
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('aspm')) {
      return;
    }
    if (e.affectsConfiguration('aspm.server.path')) {
      this.info('aspm.server.path changed; restarting the server');
      void this.restart();
      return;
    }
    void this.pushSettings();
  }

  // Sends the current settings; servers that pull (workspace/configuration) re-read them on
  // this notification, servers that do not take them from the payload.
  private async pushSettings(): Promise<void> {
    if (this.languageClient === undefined) {
      return;
    }
    const settings = await this.settings();
    await this.sendNotification(DidChangeConfigurationNotification.type, { settings: { aspm: settings } });
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
