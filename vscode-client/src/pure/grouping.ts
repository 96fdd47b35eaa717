// Groups and orders findings for the tree view and counts them for the status bar. Pure, so the
// ordering rules (most urgent first, stable within a group) are pinned by unit tests.

import { BUCKETS, BUCKET_LABELS, Bucket, Finding, bucketRank, severityRank } from './model';

export const GROUP_BYS = ['bucket', 'file', 'rule', 'tool'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface Group {
  key: string;
  label: string;
  findings: Finding[];
}

// Most urgent first; ties broken by place so the order does not jump around between refreshes.
export function compareFindings(a: Finding, b: Finding): number {
  return (
    bucketRank(a.bucket) - bucketRank(b.bucket) ||
    (b.riskScore ?? -1) - (a.riskScore ?? -1) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.uri ?? '').localeCompare(b.uri ?? '') ||
    (a.range?.startLine ?? -1) - (b.range?.startLine ?? -1) ||
    (a.range?.startCharacter ?? -1) - (b.range?.startCharacter ?? -1) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.id.localeCompare(b.id)
  );
}

function keyOf(f: Finding, by: GroupBy, relativePath: (uri: string) => string): { key: string; label: string } {
  switch (by) {
    case 'bucket':
      return { key: f.bucket, label: BUCKET_LABELS[f.bucket] };
    case 'file':
      return f.uri !== undefined
        ? { key: f.uri, label: relativePath(f.uri) }
        : { key: '', label: '(no current location)' };
    case 'rule':
      return { key: `${f.tool}\u0000${f.ruleId}`, label: f.ruleId === '' ? `(${f.tool}, no rule id)` : f.ruleId };
    case 'tool':
      return { key: f.tool, label: f.tool };
  }
}

export function groupFindings(findings: readonly Finding[], by: GroupBy, relativePath: (uri: string) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const { key, label } = keyOf(f, by, relativePath);
    let g = groups.get(key);
    if (!g) {
      g = { key, label, findings: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
  }
  const out = [...groups.values()];
  for (const g of out) {
    g.findings.sort(compareFindings);
  }
  if (by === 'bucket') {
    out.sort((a, b) => bucketRank(a.key as Bucket) - bucketRank(b.key as Bucket));
  } else if (by === 'file') {
    // Files with the most urgent finding first, then by path.
    out.sort((a, b) => compareFindings(a.findings[0], b.findings[0]) || a.label.localeCompare(b.label));
  } else {
    out.sort((a, b) => b.findings.length - a.findings.length || a.label.localeCompare(b.label));
  }
  return out;
}

export type BucketCounts = Record<Bucket, number>;

// Counts what still needs a decision: triaged and suppressed findings are not "open".
export function countOpenByBucket(findings: readonly Finding[]): BucketCounts {
  const counts = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as BucketCounts;
  for (const f of findings) {
    if (isOpen(f)) {
      counts[f.bucket] += 1;
    }
  }
  return counts;
}

export function isOpen(f: Finding): boolean {
  const status = f.triage?.status;
  if (status !== undefined && status !== '' && status !== 'open') {
    return false;
  }
  return f.state !== 'suppressed' && f.state !== 'triaged' && f.state !== 'gone';
}
