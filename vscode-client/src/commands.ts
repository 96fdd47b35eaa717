// The extension's commands. Each one that needs a server feature checks for it and, when the
// running aspm-ls lacks it, says which capability is missing instead of failing silently.

import * as vscode from 'vscode';
import { Ctx, Unsupported, errorText } from './ctx';
import { DetailsProvider, explainFinding, gateMarkdown } from './details';
import { FindingsModel } from './findings';
import * as lsp_ext from './lsp_ext';
import { parseFilter } from './pure/filter';
import { GROUP_BYS, isOpen } from './pure/grouping';
import { Finding } from './pure/model';
import { STORE_SYNC_COMMAND, TRIAGE_COMMAND, TriageArguments } from './pure/protocol';
import { serverSettings } from './pure/settings';
import { TRIAGE_STATUSES, parseExpiry, validateReason } from './pure/triage';
import { FindingsTree, relativePath } from './tree';

interface Services {
  ctx: Ctx;
  model: FindingsModel;
  tree: FindingsTree;
  details: DetailsProvider;
}

// Commands get a tree node (context menu), a finding id (tree click, code lens) or nothing
// (palette: the finding under the cursor, else a pick).
async function findingArg(s: Services, arg: unknown): Promise<Finding | undefined> {
  if (typeof arg === 'string') {
    return s.model.get(arg);
  }
  if (typeof arg === 'object' && arg !== null && 'finding' in arg) {
    const f = (arg as { finding: Finding }).finding;
    return s.model.get(f.id) ?? f;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined) {
    const uri = editor.document.uri.toString();
    const pos = editor.selection.active;
    const here = s.model.findings.filter(
      (f) => f.uri === uri && f.range !== undefined && f.range.startLine <= pos.line && pos.line <= f.range.endLine,
    );
    if (here.length === 1) {
      return here[0];
    }
    if (here.length > 1) {
      return pickFinding(here);
    }
  }
  return pickFinding(s.tree.visibleFindings().filter(isOpen));
}

async function pickFinding(findings: Finding[]): Promise<Finding | undefined> {
  if (findings.length === 0) {
    void vscode.window.showInformationMessage('aspm: no finding here.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    findings.map((f) => ({
      label: f.message.split('\n', 1)[0],
      description: `${f.tool} ${f.ruleId}`,
      detail: f.uri !== undefined && f.range !== undefined ? `${relativePath(f.uri)}:${f.range.startLine + 1}` : f.state,
      finding: f,
    })),
    { placeHolder: 'Which finding?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.finding;
}

async function openFinding(s: Services, arg: unknown): Promise<void> {
  // Look the id up again: the finding may have moved since the tree item was drawn.
  const f = await findingArg(s, arg);
  if (f === undefined) {
    return;
  }
  if (f.uri === undefined || f.range === undefined) {
    void vscode.window.showWarningMessage(`aspm: this finding has no current location (${f.state}).`);
    return;
  }
  const start = new vscode.Position(f.range.startLine, f.range.startCharacter);
  const end = new vscode.Position(f.range.endLine, f.range.endCharacter);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(f.uri), { preserveFocus: false });
  // Select the finding with the cursor at its start, where the line/column VS Code shows
  // matches the one the scanner reported.
  editor.selection = new vscode.Selection(end, start);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function triage(s: Services, arg: unknown): Promise<void> {
  if (!s.ctx.features.triage) {
    void vscode.window.showWarningMessage(
      s.ctx.state === 'running'
        ? `aspm: this aspm-ls cannot record triage decisions yet (its executeCommandProvider does not list "${TRIAGE_COMMAND}").`
        : 'aspm: aspm-ls is not running.',
    );
    return;
  }
  const f = await findingArg(s, arg);
  if (f === undefined) {
    return;
  }
  const status = await vscode.window.showQuickPick(
    TRIAGE_STATUSES.map((st) => ({ label: st.label, detail: st.detail, status: st })),
    { placeHolder: `Triage ${f.ruleId}: ${f.message.split('\n', 1)[0]}`, title: 'aspm: triage decision' },
  );
  if (status === undefined) {
    return;
  }
  const reason = await vscode.window.showInputBox({
    title: `aspm: ${status.label}`,
    prompt: status.status.needsReason ? 'Why? (shared with your team and kept with the decision)' : 'Note (optional)',
    validateInput: (v) => validateReason(status.status, v),
    ignoreFocusOut: true,
  });
  if (reason === undefined) {
    return;
  }
  const args: TriageArguments = { findingId: f.id, status: status.status.id, reason: reason.trim() };
  if (status.status.needsExpiry) {
    const expiry = await vscode.window.showInputBox({
      title: 'aspm: accepted until',
      prompt: 'Expiry date (YYYY-MM-DD) or a duration: 30d, 6w, 3m, 1y',
      value: '90d',
      validateInput: (v) => {
        const r = parseExpiry(v, new Date());
        return r.ok ? undefined : r.error;
      },
      ignoreFocusOut: true,
    });
    if (expiry === undefined) {
      return;
    }
    const parsed = parseExpiry(expiry, new Date());
    if (!parsed.ok) {
      return;
    }
    args.expires = parsed.date;
  }
  try {
    await s.ctx.executeCommand(TRIAGE_COMMAND, [args]);
  } catch (e) {
    void vscode.window.showErrorMessage(`aspm: triage failed: ${errorText(e)}`);
    return;
  }
  void vscode.window.showInformationMessage(`aspm: ${f.ruleId} marked ${status.status.label.toLowerCase()}.`);
  await s.model.refresh();
}

async function showDetails(s: Services, arg: unknown): Promise<void> {
  const f = await findingArg(s, arg);
  if (f === undefined) {
    return;
  }
  await s.details.show(`${f.ruleId || 'finding'}-${f.id.slice(0, 12)}`, await explainFinding(s.ctx, f));
}

async function showGate(s: Services): Promise<void> {
  const result = await s.ctx.request(lsp_ext.gate, {}, s.ctx.features.gate);
  if (result instanceof Unsupported) {
    void vscode.window.showWarningMessage(
      `aspm: ${result.what}; the policy gate needs a server that advertises experimental.aspm.gate.`,
    );
    return;
  }
  await s.details.show('policy-gate', gateMarkdown(result));
}

function storeUrl(): string {
  return serverSettings((k) => vscode.workspace.getConfiguration('aspm').get(k)).store.url;
}

async function askStoreUrl(): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'aspm: finding store URL',
    prompt: 'The aspm-store this workspace syncs triage decisions with',
    placeHolder: 'https://aspm.example.com',
    validateInput: (v) => (/^https?:\/\/[^/\s]+/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
    ignoreFocusOut: true,
  });
  if (url === undefined) {
    return undefined;
  }
  const clean = url.trim().replace(/\/+$/, '');
  await vscode.workspace.getConfiguration('aspm').update('store.url', clean, vscode.ConfigurationTarget.Workspace);
  return clean;
}

async function signIn(s: Services): Promise<void> {
  const url = storeUrl() || (await askStoreUrl());
  if (url === undefined || url === '') {
    return;
  }
  const token = await vscode.window.showInputBox({
    title: `aspm: sign in to ${url}`,
    prompt: 'Access token (aspm-store token create … prints one). Kept in VS Code secret storage.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length >= 8 ? undefined : 'The token looks too short'),
  });
  if (token === undefined) {
    return;
  }
  let reachable: string;
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
    reachable = res.ok ? '' : ` (the store answered ${res.status} on /healthz)`;
  } catch (e) {
    reachable = ` (the store is not reachable now: ${errorText(e)}; decisions will queue until it is)`;
  }
  await s.ctx.tokens.set(url, token.trim());
  s.ctx.info(`signed in to ${url}${reachable}`);
  if (s.ctx.features.storeSync) {
    await s.ctx.executeCommand(STORE_SYNC_COMMAND, []).then(undefined, (e: unknown) => s.ctx.info(`sync: ${errorText(e)}`));
  }
  void vscode.window.showInformationMessage(`aspm: signed in to ${url}${reachable}.`);
}

async function signOut(s: Services): Promise<void> {
  const url = storeUrl();
  if (url === '') {
    void vscode.window.showInformationMessage('aspm: no finding store is configured (aspm.store.url).');
    return;
  }
  await s.ctx.tokens.delete(url);
  void vscode.window.showInformationMessage(`aspm: signed out of ${url}.`);
}

async function openDashboard(): Promise<void> {
  const url = storeUrl() || (await askStoreUrl());
  if (url === undefined || url === '') {
    return;
  }
  const project = vscode.workspace.getConfiguration('aspm').get<string>('store.project', '').trim();
  const target = vscode.Uri.parse(`${url}/`).with({ query: project !== '' ? `project=${encodeURIComponent(project)}` : '' });
  await vscode.env.openExternal(target);
}

async function filter(s: Services): Promise<void> {
  const text = await vscode.window.showInputBox({
    title: 'aspm: filter findings',
    prompt: 'Words match message, rule, tool or file; or use rule: tool: file: sev: bucket: status:',
    value: s.tree.getFilter(),
    placeHolder: 'sev:high tool:bandit',
    validateInput: (v) => {
      const parsed = parseFilter(v);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (text === undefined) {
    return;
  }
  const error = await s.tree.setFilter(text);
  if (error !== undefined) {
    void vscode.window.showWarningMessage(`aspm: ${error}`);
  }
}

async function groupBy(s: Services): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    GROUP_BYS.map((by) => ({ label: by, picked: by === s.tree.getGroupBy() })),
    { placeHolder: 'Group findings by' },
  );
  if (picked !== undefined) {
    await s.tree.setGroupBy(picked.label);
  }
}

export function registerCommands(s: Services): vscode.Disposable[] {
  const r = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  return [
    r('aspm.refresh', () => s.model.refresh()),
    r('aspm.findings.open', (arg) => openFinding(s, arg)),
    r('aspm.findings.filter', () => filter(s)),
    r('aspm.findings.clearFilter', () => s.tree.setFilter('')),
    r('aspm.findings.groupBy', () => groupBy(s)),
    r('aspm.showDetails', (arg) => showDetails(s, arg)),
    r('aspm.triageFinding', (arg) => triage(s, arg)),
    r('aspm.showGate', () => showGate(s)),
    r('aspm.openDashboard', () => openDashboard()),
    r('aspm.store.signIn', () => signIn(s)),
    r('aspm.store.signOut', () => signOut(s)),
    r('aspm.restartServer', () => s.ctx.restart()),
    r('aspm.showLog', () => s.ctx.log.show(true)),
  ];
}
