// Restart backoff for a crashing server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../src/pure/backoff';

const opts = { initialDelayMs: 500, maxDelayMs: 4000, healthyAfterMs: 60_000, maxConsecutiveCrashes: 5 };

describe('RestartPolicy', () => {
  it('doubles the delay for crashes in a row, up to the maximum, then gives up', () => {
    const p = new RestartPolicy(opts);
    const delays: (number | string)[] = [];
    let t = 0;
    for (let i = 0; i < 6; i++) {
      p.started(t);
      t += 100;
      const d = p.crashed(t);
      delays.push(d.restart ? d.delayMs : `gave up after ${d.crashes}`);
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 4000, 'gave up after 6']);
  });

  it('restarts quickly again after a run that lasted long enough to count as healthy', () => {
    const p = new RestartPolicy(opts);
    p.started(0);
    p.crashed(10);
    p.started(1000);
    p.crashed(1010);
    p.started(2000);
    const d = p.crashed(2000 + 60_000);
    assert.deepEqual(d, { restart: true, delayMs: 500, attempt: 1 });
  });

  it('starts afresh after a restart the user asked for', () => {
    const p = new RestartPolicy(opts);
    for (let i = 0; i < 6; i++) {
      p.crashed(i);
    }
    p.reset();
    assert.deepEqual(p.crashed(10), { restart: true, delayMs: 500, attempt: 1 });
  });
});
