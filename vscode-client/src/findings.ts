// The current list of findings, from the best source the server offers: `aspm/findings` when it
// answers it (risk buckets, triage state, findings in files that are not open), otherwise the
// diagnostics the client received. Refreshes on the events that can change the list, coalesced
// so a burst of publishDiagnostics costs one refresh.

import * as vscode from 'vscode';
import { Ctx, Unsupported, errorText } from './ctx';
import * as lsp_ext from './lsp_ext';
import { findingsFromDiagnostics } from './pure/diagnostics';
import { Finding } from './pure/model';
import { findingFromWire } from './pure/protocol';

export type FindingsSource = 'server' | 'diagnostics';

// Long enough to coalesce one publish burst, short enough to feel live.
const COALESCE_MS = 150;

export class FindingsModel implements vscode.Disposable {
  private _findings: Finding[] = [];
  private _source: FindingsSource = 'diagnostics';
  private byId = new Map<string, Finding>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      this.emitter,
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
      ctx.onDidChangeFindings(() => this.schedule()),
      ctx.onDidChangeState(() => this.schedule()),
      ctx.onDidChangeStoreStatus(() => this.schedule()),
    );
  }

  get findings(): readonly Finding[] {
    return this._findings;
  }
  get source(): FindingsSource {
    return this._source;
  }
  get(id: string): Finding | undefined {
    return this.byId.get(id);
  }

  schedule(): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.refresh();
      }, COALESCE_MS);
    }
  }

  // Runs one refresh at a time; a request during a refresh runs once more after it.
  async refresh(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
    });
    await this.running;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  private async load(): Promise<void> {
    let findings: Finding[] | undefined;
    let source: FindingsSource = 'diagnostics';
    if (this.ctx.state === 'running') {
      try {
        const result = await this.ctx.request(lsp_ext.findings, {}, this.ctx.features.findings);
        if (!(result instanceof Unsupported) && Array.isArray(result?.findings)) {
          findings = result.findings.filter((w) => typeof w?.id === 'string').map(findingFromWire);
          source = 'server';
        }
      } catch (e) {
        this.ctx.info(`aspm/findings failed, showing diagnostics instead: ${errorText(e)}`);
      }
    }
    findings ??= findingsFromDiagnostics(this.ctx.diagnostics());
    this._findings = findings;
    this._source = source;
    this.byId = new Map(findings.map((f) => [f.id, f]));
    this.emitter.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}
