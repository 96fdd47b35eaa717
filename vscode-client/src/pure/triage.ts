// The triage vocabulary (the statuses model::TriageDecision stores) and the validation of what
// the user types, kept apart from the quick-pick UI so the rules are unit-tested.

export interface TriageStatus {
  id: string;
  label: string;
  detail: string;
  needsReason: boolean;
  needsExpiry: boolean;
}

export const TRIAGE_STATUSES: TriageStatus[] = [
  { id: 'false_positive', label: 'False positive', detail: 'The tool is wrong: this code is not vulnerable.', needsReason: true, needsExpiry: false },
  { id: 'accepted_risk', label: 'Accepted risk', detail: 'Real, but accepted until a date; it comes back when the acceptance expires.', needsReason: true, needsExpiry: true },
  { id: 'wont_fix', label: "Won't fix", detail: 'Real, and deliberately left as it is.', needsReason: true, needsExpiry: false },
  { id: 'fixed', label: 'Fixed', detail: 'Fixed in the code; the next scan should confirm it.', needsReason: false, needsExpiry: false },
  { id: 'open', label: 'Reopen', detail: 'Withdraw an earlier decision.', needsReason: false, needsExpiry: false },
];

export function validateReason(status: TriageStatus, reason: string): string | undefined {
  if (status.needsReason && reason.trim().length < 3) {
    return `A reason is required for "${status.label}" (at least 3 characters).`;
  }
  return undefined;
}

// Longest acceptance the UI offers without a second thought; the server's policy may be stricter.
export const MAX_EXPIRY_DAYS = 366;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

// Accepts YYYY-MM-DD or a duration from today: 30d, 6w, 3m, 1y. Returns the date (UTC) or an
// error message for the input box.
export function parseExpiry(input: string, today: Date): { ok: true; date: string } | { ok: false; error: string } {
  const text = input.trim().toLowerCase();
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  let date: Date;
  const rel = /^(\d{1,4})\s*([dwmy])$/.exec(text);
  const abs = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (rel) {
    const n = Number(rel[1]);
    date = new Date(start);
    switch (rel[2]) {
      case 'd':
        date.setUTCDate(date.getUTCDate() + n);
        break;
      case 'w':
        date.setUTCDate(date.getUTCDate() + 7 * n);
        break;
      case 'm':
        date.setUTCMonth(date.getUTCMonth() + n);
        break;
      default:
        date.setUTCFullYear(date.getUTCFullYear() + n);
    }
  } else if (abs) {
    const [y, m, d] = [Number(abs[1]), Number(abs[2]), Number(abs[3])];
    date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return { ok: false, error: `${text} is not a calendar date` };
    }
  } else {
    return { ok: false, error: 'Enter a date (YYYY-MM-DD) or a duration such as 30d, 6w, 3m, 1y' };
  }
  const days = Math.round((date.getTime() - start.getTime()) / 86_400_000);
  if (days <= 0) {
    return { ok: false, error: 'The expiry must be in the future' };
  }
  if (days > MAX_EXPIRY_DAYS) {
    return { ok: false, error: `The expiry must be within ${MAX_EXPIRY_DAYS} days` };
  }
  return { ok: true, date: isoDate(date) };
}
