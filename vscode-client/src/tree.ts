// The "Security Findings" tree: findings grouped by risk bucket, file, rule or tool, with counts,
// a filter, and a click that opens the finding where it is now. Grouping and filtering are the
// pure functions in ./pure; this file only turns them into tree items.

import * as vscode from 'vscode';
import { FindingsModel } from './findings';
import { parseFilter, FindingPredicate } from './pure/filter';
import { GROUP_BYS, Group, GroupBy, countOpenByBucket, groupFindings } from './pure/grouping';
import { Finding, Severity } from './pure/model';

export const VIEW_ID = 'aspm.findings';
const GROUP_BY_KEY = 'aspm.findings.groupBy';
const FILTER_KEY = 'aspm.findings.filter';

type Node = { kind: 'group'; group: Group; by: GroupBy } | { kind: 'finding'; finding: Finding; parent: string };

export function relativePath(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
}

function severityIcon(sev: Severity): vscode.ThemeIcon {
  switch (sev) {
    case 'critical':
    case 'high':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'medium':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    default:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
  }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line.length > 160 ? line.slice(0, 157) + '…' : line;
}

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<Node>;
  private groupBy: GroupBy;
  private filterText: string;
  private predicate: FindingPredicate | undefined;
  private groups: Group[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly model: FindingsModel,
    private readonly state: vscode.Memento,
  ) {
    const saved = state.get<string>(GROUP_BY_KEY);
    this.groupBy = (GROUP_BYS as readonly string[]).includes(saved ?? '') ? (saved as GroupBy) : 'bucket';
    this.filterText = '';
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, this.emitter, model.onDidChange(() => this.rebuild()));
    const savedFilter = state.get<string>(FILTER_KEY) ?? '';
    void this.setFilter(savedFilter);
  }

  async setGroupBy(by: GroupBy): Promise<void> {
    this.groupBy = by;
    await this.state.update(GROUP_BY_KEY, by);
    this.rebuild();
  }

  getGroupBy(): GroupBy {
    return this.groupBy;
  }

  getFilter(): string {
    return this.filterText;
  }

  // Returns the error text for an invalid filter (and keeps the previous one).
  async setFilter(text: string): Promise<string | undefined> {
    const parsed = parseFilter(text);
    if (!parsed.ok) {
      return parsed.error;
    }
    this.filterText = parsed.text;
    this.predicate = parsed.text === '' ? undefined : parsed.predicate;
    await this.state.update(FILTER_KEY, this.filterText);
    await vscode.commands.executeCommand('setContext', 'aspm.findings.filtered', this.predicate !== undefined);
    this.rebuild();
    return undefined;
  }

  visibleFindings(): Finding[] {
    const all = this.model.findings;
    const p = this.predicate;
    return p === undefined ? [...all] : all.filter((f) => p(f, f.uri !== undefined ? relativePath(f.uri) : ''));
  }

  private rebuild(): void {
    const visible = this.visibleFindings();
    this.groups = groupFindings(visible, this.groupBy, relativePath);
    const total = this.model.findings.length;
    const filtered = this.predicate !== undefined;
    this.view.description = filtered ? `${this.filterText} (${visible.length} of ${total})` : `by ${this.groupBy}`;
    if (total === 0) {
      this.view.message =
        this.model.source === 'server'
          ? 'No findings. aspm-ls reads the reports matched by the aspm.sarif setting.'
          : 'No findings yet. aspm-ls reads the reports matched by the aspm.sarif setting (default .aspm/**/*.sarif).';
    } else if (visible.length === 0) {
      this.view.message = `No finding matches the filter "${this.filterText}".`;
    } else {
      this.view.message = undefined;
    }
    const counts = countOpenByBucket(this.model.findings);
    const urgent = counts.immediate + counts['out-of-cycle'];
    this.view.badge = urgent > 0 ? { value: urgent, tooltip: `${urgent} immediate or out-of-cycle findings` } : undefined;
    this.emitter.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (node === undefined) {
      return this.groups.map((group) => ({ kind: 'group', group, by: this.groupBy }));
    }
    if (node.kind === 'group') {
      return node.group.findings.map((finding) => ({ kind: 'finding', finding, parent: node.group.key }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const g = node.group;
      // Small trees open fully; large ones show the groups with their counts first.
      const expand = this.model.findings.length <= 200;
      const item = new vscode.TreeItem(
        g.label,
        expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `group:${node.by}:${g.key}`;
      item.description = String(g.findings.length);
      item.contextValue = `aspm.group.${node.by}`;
      if (node.by === 'file' && g.key !== '') {
        item.resourceUri = vscode.Uri.parse(g.key);
        item.iconPath = vscode.ThemeIcon.File;
        item.description = `${g.findings.length}`;
      }
      item.tooltip = `${g.label}: ${g.findings.length} finding${g.findings.length === 1 ? '' : 's'}`;
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(firstLine(f.message), vscode.TreeItemCollapsibleState.None);
    item.id = `finding:${node.parent}:${f.id}`;
    const place = f.uri !== undefined && f.range !== undefined ? `${relativePath(f.uri)}:${f.range.startLine + 1}` : f.state;
    const parts = [`${f.tool} ${f.ruleId}`.trim()];
    if (this.groupBy !== 'file') {
      parts.push(place);
    } else if (f.range !== undefined) {
      parts.push(`line ${f.range.startLine + 1}`);
    }
    if (f.triage !== undefined && f.triage.status !== 'open') {
      parts.push(f.triage.status.replace(/_/g, ' '));
    }
    item.description = parts.join(' · ');
    item.iconPath = severityIcon(f.severity);
    item.contextValue = f.triage !== undefined && f.triage.status !== 'open' ? 'aspm.finding.triaged' : 'aspm.finding';
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${f.ruleId || '(no rule id)'}** · ${f.tool} · ${f.severity} · ${f.bucket}`);
    if (f.riskScore !== undefined) {
      tip.appendMarkdown(` · risk ${f.riskScore}`);
    }
    tip.appendMarkdown('\n\n');
    tip.appendText(f.message);
    tip.appendMarkdown(`\n\n${place}`);
    item.tooltip = tip;
    item.accessibilityInformation = { label: `${f.severity} ${f.ruleId} ${f.tool}: ${firstLine(f.message)} at ${place}` };
    item.command = { command: 'aspm.findings.open', title: 'Open Finding', arguments: [f.id] };
    return item;
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'finding') {
      const group = this.groups.find((g) => g.key === node.parent);
      return group !== undefined ? { kind: 'group', group, by: this.groupBy } : undefined;
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}
