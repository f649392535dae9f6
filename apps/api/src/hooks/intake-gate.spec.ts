import { createLogger, HookflowMetrics, loadConfig } from '@hookflow/common';
import type { ExecutionQueue, QueueDepth } from '@hookflow/queue';
import { IntakeGate, rejectionReason } from './intake-gate';

function gateWith(env: Record<string, string>, depth: () => Promise<QueueDepth>) {
  const config = loadConfig({ HOOKFLOW_SQLITE_PATH: ':memory:', ...env });
  const queue: ExecutionQueue = {
    kind: 'inline',
    depth,
    enqueue: async () => undefined,
    work: () => undefined,
    close: async () => undefined,
    hasLiveJob: async () => false,
    isHealthy: async () => true,
  };
  const metrics = new HookflowMetrics({ defaultMetrics: false });
  return { gate: new IntakeGate(config, queue, metrics, createLogger('silent')), metrics };
}

const idle = async (): Promise<QueueDepth> => ({ waiting: 0, active: 0, delayed: 0, failed: 0 });

describe('IntakeGate', () => {
  it('lets in at most HOOKFLOW_INTAKE_CONCURRENCY requests at once, and one more once one leaves', async () => {
    const { gate } = gateWith(
      { HOOKFLOW_INTAKE_CONCURRENCY: '2', HOOKFLOW_QUEUE_CEILING: '0' },
      idle,
    );
    const first = await gate.enter();
    const second = await gate.enter();
    expect([first.ok, second.ok]).toEqual([true, true]);
    const third = await gate.enter();
    expect(third).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    if (first.ok) {
      first.leave();
      first.leave(); // leaving twice (close after an error) frees one place, not two
    }
    expect((await gate.enter()).ok).toBe(true);
    expect((await gate.enter()).ok).toBe(false);
  });

  it('counts its own acceptances against the ceiling, and refuses only on a depth read now', async () => {
    let queued = 0;
    let reads = 0;
    const { gate } = gateWith(
      { HOOKFLOW_INTAKE_CONCURRENCY: '0', HOOKFLOW_QUEUE_CEILING: '3' },
      async () => {
        reads += 1;
        return { waiting: queued, active: 0, delayed: 0, failed: 0 };
      },
    );
    for (let accepted = 0; accepted < 3; accepted += 1) {
      const verdict = await gate.enter();
      expect(verdict.ok).toBe(true);
      queued += 1;
      gate.accepted();
      if (verdict.ok) verdict.leave();
    }
    expect(gate.backlog()).toBe(3);
    const readsBefore = reads;
    expect(await gate.enter()).toMatchObject({ ok: false, retryAfterSeconds: 5 });
    expect(reads).toBe(readsBefore + 1);
    // The queue drains; the estimate still says full, the first delivery after is let in.
    queued = 0;
    expect(gate.backlog()).toBe(3);
    expect((await gate.enter()).ok).toBe(true);
  });

  it('goes by the estimate when the depth read does not answer (Redis down)', async () => {
    const { gate } = gateWith(
      { HOOKFLOW_INTAKE_CONCURRENCY: '0', HOOKFLOW_QUEUE_CEILING: '1' },
      () => new Promise<QueueDepth>(() => undefined),
    );
    expect((await gate.enter()).ok).toBe(true);
    gate.accepted();
    expect(await gate.enter()).toMatchObject({ ok: false, retryAfterSeconds: 5 });
  });

  it('refuses on a full queue, and counts every refusal as overloaded', async () => {
    const { gate, metrics } = gateWith(
      { HOOKFLOW_INTAKE_CONCURRENCY: '0', HOOKFLOW_QUEUE_CEILING: '10' },
      async () => ({ waiting: 9, active: 1, delayed: 500, failed: 0 }),
    );
    expect((await gate.enter()).ok).toBe(true); // the first sample is still on its way
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.backlog()).toBe(10); // delayed runs do not count
    expect((await gate.enter()).ok).toBe(false);
    expect(await metrics.scrape()).toContain(
      'hookflow_deliveries_total{trigger="unknown",status="rejected",reason="overloaded"} 1',
    );
  });

  it('names rejection reasons by status', () => {
    expect([401, 403, 404, 405, 413, 415, 400, 429, 503, 418].map(rejectionReason)).toEqual([
      'auth',
      'ip',
      'not_found',
      'method',
      'too_large',
      'unsupported_media_type',
      'invalid_body',
      'rate_limited',
      'overloaded',
      'other',
    ]);
  });
});
