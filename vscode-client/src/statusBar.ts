// The status bar item: open immediate / out-of-cycle counts and the store's sync state, or the
// server's state when it is not running. Text and colours come from ./pure/status.

import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { FindingsModel } from './findings';
import { countOpenByBucket } from './pure/grouping';
import { statusView } from './pure/status';
import { VIEW_ID } from './tree';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly model: FindingsModel,
  ) {
    this.item = vscode.window.createStatusBarItem('aspm.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'aspm findings';
    this.disposables.push(
      this.item,
      ctx.onDidChangeState(() => this.update()),
      ctx.onDidChangeStoreStatus(() => this.update()),
      model.onDidChange(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  private update(): void {
    const findings = this.model.findings;
    const view = statusView(this.ctx.state, countOpenByBucket(findings), findings.length, this.ctx.storeStatus);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor =
      view.alert === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.alert === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.command = this.ctx.state === 'failed' ? 'aspm.showLog' : `${VIEW_ID}.focus`;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}
