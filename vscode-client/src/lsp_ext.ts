// Typed handles for aspm's LSP extensions, mirroring the contract in ./pure/protocol.ts (and
// docs/vscode.md). Kept separate so every use site gets checked parameter and result types.

import { NotificationType, RequestType } from 'vscode-languageclient';
import * as p from './pure/protocol';

export const findings = new RequestType<p.FindingsParams, p.FindingsResult, void>(p.FINDINGS_METHOD);
export const explain = new RequestType<p.ExplainParams, p.ExplainResult, void>(p.EXPLAIN_METHOD);
export const gate = new RequestType<Record<string, never>, p.GateResult, void>(p.GATE_METHOD);
export const storeStatus = new NotificationType<p.StoreStatus>(p.STORE_STATUS_NOTIFICATION);
export const findingsChanged = new NotificationType<Record<string, never>>(p.FINDINGS_CHANGED_NOTIFICATION);
