// aspm's additions to LSP as this extension expects them (docs/vscode.md, "Server contract"):
// method names, payload shapes, and how a server advertises them. Only plain types here; the
// typed RequestType objects live in ../lsp_ext.ts. Every feature is optional: the extension
// falls back (diagnostics instead of aspm/findings, hover instead of aspm/explain) or tells the
// user which server capability is missing.

import { Finding, Range, Triage, bucketFromScore, bucketFromSeverity, isBucket, isSeverity } from './model';

export const FINDINGS_METHOD = 'aspm/findings';
export const EXPLAIN_METHOD = 'aspm/explain';
export const GATE_METHOD = 'aspm/gate';
export const STORE_STATUS_NOTIFICATION = 'aspm/storeStatus';
export const FINDINGS_CHANGED_NOTIFICATION = 'aspm/findingsChanged';
// workspace/executeCommand command ids. The client never registers VS Code commands with these
// names itself (vscode-languageclient does, for every command the server lists).
export const TRIAGE_COMMAND = 'aspm.triage';
export const STORE_SYNC_COMMAND = 'aspm.store.sync';

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface FindingsParams {
  // Only the findings placed in this document; the whole workspace when absent.
  textDocument?: { uri: string };
}
export interface WireFinding {
  id: string;
  ruleId?: string;
  tool?: string;
  message?: string;
  severity?: string;
  bucket?: string;
  risk?: { score?: number };
  state?: string;
  location?: { uri: string; range: LspRange } | null;
  helpUri?: string;
  cwe?: string[];
  triage?: Triage | null;
}
export interface FindingsResult {
  findings: WireFinding[];
}

export interface ExplainParams {
  findingId: string;
}
export interface ExplainResult {
  markdown: string;
}

export interface GateViolation {
  findingId?: string;
  ruleId?: string;
  message: string;
}
export interface GateResult {
  passed: boolean;
  mode?: 'enforce' | 'monitor';
  policy?: string;
  summary?: string;
  markdown?: string;
  violations?: GateViolation[];
}

export type StoreState = 'disabled' | 'synced' | 'syncing' | 'offline' | 'error';
export interface StoreStatus {
  state: StoreState;
  queued?: number;
  message?: string;
}

export interface TriageArguments {
  findingId: string;
  status: string;
  reason: string;
  expires?: string;
}

// What the running server offers, read once from its InitializeResult.
export interface ServerFeatures {
  findings: boolean;
  explain: boolean;
  gate: boolean;
  storeStatus: boolean;
  triage: boolean;
  storeSync: boolean;
  codeActions: boolean;
  codeLens: boolean;
  hover: boolean;
}

function flag(obj: Record<string, unknown> | undefined, key: string): boolean {
  const v = obj?.[key];
  return v === true || (typeof v === 'object' && v !== null);
}

export function serverFeatures(capabilities: unknown): ServerFeatures {
  const caps = (typeof capabilities === 'object' && capabilities !== null ? capabilities : {}) as Record<string, unknown>;
  const experimental = caps.experimental as Record<string, unknown> | undefined;
  const aspm = (typeof experimental?.aspm === 'object' && experimental.aspm !== null ? experimental.aspm : undefined) as
    | Record<string, unknown>
    | undefined;
  const exec = caps.executeCommandProvider as { commands?: unknown } | undefined;
  const commands = Array.isArray(exec?.commands) ? (exec.commands as unknown[]) : [];
  return {
    findings: flag(aspm, 'findings'),
    explain: flag(aspm, 'explain'),
    gate: flag(aspm, 'gate'),
    storeStatus: flag(aspm, 'storeStatus'),
    triage: commands.includes(TRIAGE_COMMAND),
    storeSync: commands.includes(STORE_SYNC_COMMAND),
    codeActions: flag(caps, 'codeActionProvider'),
    codeLens: flag(caps, 'codeLensProvider'),
    hover: flag(caps, 'hoverProvider'),
  };
}

function range(r: LspRange): Range {
  return { startLine: r.start.line, startCharacter: r.start.character, endLine: r.end.line, endCharacter: r.end.character };
}

// Tolerant of missing fields: a server that sends less still produces a usable tree entry.
export function findingFromWire(w: WireFinding): Finding {
  const severity = isSeverity(w.severity) ? w.severity : 'medium';
  const score = typeof w.risk?.score === 'number' ? w.risk.score : undefined;
  // aspm-ls names the lowest SSVC bucket "defer"; the tree calls it the backlog.
  const bucket = w.bucket === 'defer' ? 'backlog' : w.bucket;
  const f: Finding = {
    id: w.id,
    ruleId: w.ruleId ?? '',
    tool: w.tool ?? 'unknown',
    message: w.message ?? '',
    severity,
    bucket: isBucket(bucket) ? bucket : score !== undefined ? bucketFromScore(score) : bucketFromSeverity(severity),
    state: w.state ?? 'open',
  };
  if (score !== undefined) {
    f.riskScore = score;
  }
  if (w.location) {
    f.uri = w.location.uri;
    f.range = range(w.location.range);
  }
  if (w.helpUri !== undefined) {
    f.helpUri = w.helpUri;
  }
  if (w.cwe !== undefined) {
    f.cwe = w.cwe;
  }
  if (w.triage) {
    f.triage = w.triage;
  }
  return f;
}
