// The findings tree's filter language, kept small enough to type in an input box:
//   free words         match message, rule, tool or file (case-insensitive, all must match)
//   rule:ID tool:NAME  substring of the rule id / tool
//   file:TEXT          substring of the workspace-relative path
//   sev:LEVEL          at least this severity (critical, high, medium, low, info)
//   bucket:NAME        one risk bucket (immediate, out-of-cycle, scheduled, backlog)
//   status:NAME        triage status, or "open" for untriaged findings
// Unknown keys are an error, so a typo does not silently hide every finding.

import { BUCKETS, Finding, SEVERITIES, isBucket, isSeverity, severityRank } from './model';

export type FindingPredicate = (f: Finding, relativePath: string) => boolean;

export type ParsedFilter = { ok: true; predicate: FindingPredicate; text: string } | { ok: false; error: string };

const KEYS = ['rule', 'tool', 'file', 'sev', 'bucket', 'status'];

function includes(haystack: string | undefined, needle: string): boolean {
  return (haystack ?? '').toLowerCase().includes(needle);
}

export function parseFilter(input: string): ParsedFilter {
  const text = input.trim();
  const tests: FindingPredicate[] = [];
  for (const token of text.split(/\s+/).filter((t) => t !== '')) {
    // key:value, except URLs ("https://…"), which are free text.
    const m = /^([a-z]+):(.*)$/i.exec(token);
    if (m === null || m[2].startsWith('//')) {
      const word = token.toLowerCase();
      tests.push(
        (f, rel) => includes(f.message, word) || includes(f.ruleId, word) || includes(f.tool, word) || includes(rel, word),
      );
      continue;
    }
    const key = m[1].toLowerCase();
    const value = m[2].toLowerCase();
    switch (key) {
      case 'rule':
        tests.push((f) => includes(f.ruleId, value));
        break;
      case 'tool':
        tests.push((f) => includes(f.tool, value));
        break;
      case 'file':
        tests.push((_f, rel) => includes(rel, value));
        break;
      case 'sev': {
        if (!isSeverity(value)) {
          return { ok: false, error: `sev: takes one of ${SEVERITIES.join(', ')}` };
        }
        const min = severityRank(value);
        tests.push((f) => severityRank(f.severity) <= min);
        break;
      }
      case 'bucket': {
        if (!isBucket(value)) {
          return { ok: false, error: `bucket: takes one of ${BUCKETS.join(', ')}` };
        }
        tests.push((f) => f.bucket === value);
        break;
      }
      case 'status':
        tests.push((f) => (f.triage?.status ?? 'open').toLowerCase() === value);
        break;
      default:
        return { ok: false, error: `unknown filter key "${key}:" (use ${KEYS.map((k) => k + ':').join(' ')})` };
    }
  }
  return { ok: true, text, predicate: (f, rel) => tests.every((t) => t(f, rel)) };
}
