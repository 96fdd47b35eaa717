// Entry point: wires the context (server lifecycle), the findings model, the tree, the status bar
// and the commands together. Everything created here is disposed with the extension.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { DetailsProvider } from './details';
import { FindingsModel } from './findings';
import { StatusBar } from './statusBar';
import { TokenStore } from './store';
import { FindingsTree } from './tree';

let current: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const tokens = new TokenStore(context.secrets);
  const ctx = new Ctx(context, tokens);
  current = ctx;
  const model = new FindingsModel(ctx);
  const tree = new FindingsTree(model, context.workspaceState);
  const details = new DetailsProvider();
  context.subscriptions.push(
    tokens,
    ctx,
    model,
    tree,
    details,
    new StatusBar(ctx, model),
    ...registerCommands({ ctx, model, tree, details }),
  );
  await ctx.start();
}

// Returning the stop promise lets VS Code wait for shutdown/exit, so the server is not killed
// halfway through writing its local queue.
export function deactivate(): Thenable<void> | undefined {
  const ctx = current;
  current = undefined;
  return ctx?.stop();
}
