// Builds findings from the diagnostics the language client received, for servers that do not
// (yet) answer `aspm/findings`. The input is a plain structural copy of a VS Code diagnostic, so
// this conversion is unit-tested without VS Code.

import { Bucket, Finding, Severity, bucketFromScore, bucketFromSeverity, isBucket, isSeverity } from './model';

// vscode.DiagnosticSeverity values: Error = 0, Warning = 1, Information = 2, Hint = 3.
export interface DiagnosticLike {
  uri: string;
  message: string;
  severity: number;
  code?: string | number | { value: string | number; target?: string };
  source?: string;
  range: { startLine: number; startCharacter: number; endLine: number; endCharacter: number };
  data?: unknown;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function severityFromDiagnostic(sev: number): Severity {
  switch (sev) {
    case 0:
      return 'high';
    case 1:
      return 'medium';
    case 2:
      return 'low';
    default:
      return 'info';
  }
}

// The id must be stable across republishes so the tree keeps its selection and expansion. The
// server's finding id is; the fallback (rule + place) is stable as long as the line does not move.
function fallbackId(d: DiagnosticLike, ruleId: string): string {
  return `${d.uri}#${d.range.startLine}:${d.range.startCharacter}:${d.source ?? ''}:${ruleId}`;
}

export function findingFromDiagnostic(d: DiagnosticLike): Finding {
  let ruleId = '';
  let helpUri: string | undefined;
  if (typeof d.code === 'string' || typeof d.code === 'number') {
    ruleId = String(d.code);
  } else if (d.code) {
    ruleId = String(d.code.value);
    helpUri = d.code.target;
  }
  const data = record(d.data);
  const id = typeof data?.findingId === 'string' && data.findingId !== '' ? data.findingId : fallbackId(d, ruleId);
  const severity: Severity = isSeverity(data?.severity) ? data.severity : severityFromDiagnostic(d.severity);
  const risk = record(data?.risk);
  const score =
    typeof data?.riskScore === 'number' ? data.riskScore : typeof risk?.score === 'number' ? risk.score : undefined;
  let bucket: Bucket;
  if (isBucket(data?.bucket)) {
    bucket = data.bucket;
  } else if (score !== undefined) {
    bucket = bucketFromScore(score);
  } else {
    bucket = bucketFromSeverity(severity);
  }
  const finding: Finding = {
    id,
    ruleId,
    tool: d.source ?? 'unknown',
    message: d.message,
    severity,
    bucket,
    state: typeof data?.state === 'string' ? data.state : 'open',
    uri: d.uri,
    range: { ...d.range },
  };
  if (score !== undefined) {
    finding.riskScore = score;
  }
  if (helpUri !== undefined) {
    finding.helpUri = helpUri;
  }
  return finding;
}

// One finding may arrive twice: through push and pull diagnostics, or once per tool when the
// server publishes each source. Keep the first of each id.
export function findingsFromDiagnostics(diags: Iterable<DiagnosticLike>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const d of diags) {
    const f = findingFromDiagnostic(d);
    if (!seen.has(f.id)) {
      seen.add(f.id);
      out.push(f);
    }
  }
  return out;
}
