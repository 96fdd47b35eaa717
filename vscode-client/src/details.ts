// Read-only markdown documents for finding details and the policy gate result, shown in VS
// Code's markdown preview. A virtual document (not a webview of our own) means VS Code's preview
// security applies to text that comes from scanner reports, and the content can be searched and
// copied like any document.

import * as vscode from 'vscode';
import { HoverRequest, MarkupContent, MarkedString } from 'vscode-languageclient';
import { Ctx, Unsupported } from './ctx';
import * as lsp_ext from './lsp_ext';
import { Finding } from './pure/model';
import { GateResult } from './pure/protocol';
import { relativePath } from './tree';

export const SCHEME = 'aspm-details';

export class DetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  async show(name: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name.replace(/[^\w.-]+/g, '_')}.md` });
    this.docs.set(uri.toString(), markdown);
    this.emitter.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // Without the built-in markdown extension, the source is still readable.
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

function hoverText(contents: MarkupContent | MarkedString | MarkedString[]): string {
  const one = (c: MarkupContent | MarkedString): string =>
    typeof c === 'string' ? c : 'kind' in c ? c.value : '```' + c.language + '\n' + c.value + '\n```';
  return Array.isArray(contents) ? contents.map(one).join('\n\n') : one(contents);
}

// The server's explanation when it offers one; otherwise what the client already knows (the
// diagnostic) plus the server's hover at the finding, which carries the rule's help text.
export async function explainFinding(ctx: Ctx, f: Finding): Promise<string> {
  const explained = await ctx.request(lsp_ext.explain, { findingId: f.id }, ctx.features.explain);
  if (!(explained instanceof Unsupported) && typeof explained?.markdown === 'string') {
    return explained.markdown;
  }
  const lines = [
    `# ${escapeMarkdown(f.ruleId || 'Finding')} (${escapeMarkdown(f.tool)})`,
    '',
    escapeMarkdown(f.message),
    '',
    '| | |',
    '| --- | --- |',
    `| Severity | ${f.severity} |`,
    `| Risk bucket | ${f.bucket}${f.riskScore !== undefined ? ` (score ${f.riskScore})` : ''} |`,
    `| State | ${f.state} |`,
  ];
  if (f.uri !== undefined && f.range !== undefined) {
    lines.push(`| Location | ${escapeMarkdown(relativePath(f.uri))}:${f.range.startLine + 1}:${f.range.startCharacter + 1} |`);
  }
  if (f.cwe !== undefined && f.cwe.length > 0) {
    lines.push(`| CWE | ${f.cwe.join(', ')} |`);
  }
  if (f.triage !== undefined) {
    lines.push(`| Triage | ${escapeMarkdown(`${f.triage.status} ${f.triage.reason ?? ''}`)} |`);
  }
  if (f.helpUri !== undefined) {
    lines.push('', `[Rule documentation](${f.helpUri})`);
  }
  const client = ctx.languageClient;
  if (client !== undefined && ctx.features.hover && f.uri !== undefined && f.range !== undefined) {
    try {
      const hover = await client.sendRequest(HoverRequest.type, {
        textDocument: { uri: f.uri },
        position: { line: f.range.startLine, character: f.range.startCharacter },
      });
      if (hover !== null) {
        lines.push('', '---', '', hoverText(hover.contents));
      }
    } catch (e) {
      ctx.info(`hover for the finding details failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (explained instanceof Unsupported) {
    lines.push('', `*${escapeMarkdown(explained.what)}; this page is built from the diagnostic and the hover.*`);
  }
  return lines.join('\n');
}

export function gateMarkdown(r: GateResult): string {
  if (typeof r.markdown === 'string' && r.markdown !== '') {
    return r.markdown;
  }
  const lines = [
    `# Policy gate: ${r.passed ? 'passed' : 'failed'}`,
    '',
    `Mode: ${r.mode ?? 'enforce'}${r.policy ? ` · policy ${escapeMarkdown(r.policy)}` : ''}`,
  ];
  if (r.summary) {
    lines.push('', escapeMarkdown(r.summary));
  }
  if (r.violations !== undefined && r.violations.length > 0) {
    lines.push('', '| Rule | Finding | Why |', '| --- | --- | --- |');
    for (const v of r.violations) {
      lines.push(`| ${escapeMarkdown(v.ruleId ?? '')} | ${escapeMarkdown(v.findingId ?? '')} | ${escapeMarkdown(v.message)} |`);
    }
  }
  return lines.join('\n');
}
