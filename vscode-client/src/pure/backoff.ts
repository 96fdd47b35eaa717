// When to restart a crashed server. A server that crashes right after starting would otherwise
// be restarted in a tight loop, flooding the log and the CPU; one that ran for a while and then
// crashed deserves a quick restart. Pure: time is passed in.

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  // A run that lasted at least this long counts as healthy and resets the backoff.
  healthyAfterMs: number;
  // Give up after this many crashes in a row without a healthy run.
  maxConsecutiveCrashes: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  maxConsecutiveCrashes: 5,
};

export type RestartDecision = { restart: true; delayMs: number; attempt: number } | { restart: false; crashes: number };

export class RestartPolicy {
  private startedAt: number | undefined;
  private consecutive = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  started(now: number): void {
    this.startedAt = now;
  }

  // Called when the server process ended without being asked to.
  crashed(now: number): RestartDecision {
    const ranFor = this.startedAt === undefined ? 0 : now - this.startedAt;
    this.startedAt = undefined;
    if (ranFor >= this.options.healthyAfterMs) {
      this.consecutive = 0;
    }
    this.consecutive += 1;
    if (this.consecutive > this.options.maxConsecutiveCrashes) {
      return { restart: false, crashes: this.consecutive };
    }
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (this.consecutive - 1));
    return { restart: true, delayMs, attempt: this.consecutive };
  }

  // A restart the user asked for starts the count afresh.
  reset(): void {
    this.consecutive = 0;
    this.startedAt = undefined;
  }
}
