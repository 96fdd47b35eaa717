// The extension's view of a finding, independent of where it came from (the server's
// `aspm/findings` request or the diagnostics the client received) and free of any `vscode`
// import, so grouping, filtering and counting can be unit-tested in plain Node.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

// Risk buckets, most urgent first. "immediate" and "out-of-cycle" are the ones the status bar
// counts: they are the findings that cannot wait for the next planned release.
export const BUCKETS = ['immediate', 'out-of-cycle', 'scheduled', 'backlog'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const BUCKET_LABELS: Record<Bucket, string> = {
  immediate: 'Immediate',
  'out-of-cycle': 'Out of cycle',
  scheduled: 'Scheduled',
  backlog: 'Backlog',
};

// 0-based line and UTF-16 character, as LSP and VS Code count.
export interface Range {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface Triage {
  status: string;
  reason?: string;
  author?: string;
  at?: string;
  expires?: string;
}

export interface Finding {
  id: string;
  ruleId: string;
  tool: string;
  message: string;
  severity: Severity;
  bucket: Bucket;
  riskScore?: number;
  state: string;
  // A URI string (file:///...). Absent with `range` when the code the finding pointed at is gone.
  uri?: string;
  range?: Range;
  helpUri?: string;
  cwe?: string[];
  triage?: Triage;
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function isBucket(v: unknown): v is Bucket {
  return typeof v === 'string' && (BUCKETS as readonly string[]).includes(v);
}

// Thresholds on the 0..1000 risk score (docs/cli.md), used only when the server sends a score
// without a bucket. The server's bucket, when present, always wins.
export function bucketFromScore(score: number): Bucket {
  if (score >= 800) {
    return 'immediate';
  }
  if (score >= 600) {
    return 'out-of-cycle';
  }
  if (score >= 300) {
    return 'scheduled';
  }
  return 'backlog';
}

// Without a risk score the only signal is severity. Severity alone never claims "immediate":
// that needs exploitability and exposure, which only the server's risk model knows.
export function bucketFromSeverity(sev: Severity): Bucket {
  switch (sev) {
    case 'critical':
    case 'high':
      return 'out-of-cycle';
    case 'medium':
      return 'scheduled';
    default:
      return 'backlog';
  }
}

export function severityRank(sev: Severity): number {
  return SEVERITIES.indexOf(sev);
}

export function bucketRank(b: Bucket): number {
  return BUCKETS.indexOf(b);
}
