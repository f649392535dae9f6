import pino from 'pino';
import { InlineExecutionQueue } from './inline-execution-queue';

const silent = pino({ level: 'silent' });

/** Resolves once `count` handler calls have been seen (bounded by the test timeout). */
function calls(count: number) {
  const seen: string[] = [];
  let done!: () => void;
  const reached = new Promise<void>((resolve) => (done = resolve));
  return {
    seen,
    reached,
    record(executionId: string) {
      seen.push(executionId);
      if (seen.length === count) done();
    },
  };
}

describe('InlineExecutionQueue', () => {
  it('runs an id queued twice while it waits only once', async () => {
    const queue = new InlineExecutionQueue(silent);
    const log = calls(2);
    await queue.enqueue('a');
    await queue.enqueue('a');
    await queue.enqueue('b');
    queue.work(async (id) => log.record(id), 1);
    await log.reached;
    await queue.close();
    expect(log.seen).toEqual(['a', 'b']);
  });

  it('runs an id again when it is asked for while its handler is still running', async () => {
    // A delay node whose wake-up comes due before the run that parked it has returned: the
    // wake-up must not be dropped as a duplicate, or the run waits until the next start.
    const queue = new InlineExecutionQueue(silent);
    const log = calls(2);
    queue.work(async (id) => {
      log.record(id);
      if (log.seen.length === 1) await queue.enqueue(id, { delayMs: 0 });
    }, 1);
    await queue.enqueue('parked');
    await log.reached;
    await queue.close();
    expect(log.seen).toEqual(['parked', 'parked']);
  });

  it('runs a delayed id when its time comes', async () => {
    const queue = new InlineExecutionQueue(silent);
    const log = calls(1);
    queue.work(async (id) => log.record(id), 1);
    await queue.enqueue('later', { delayMs: 20 });
    expect((await queue.depth()).delayed).toBe(1);
    await log.reached;
    await queue.close();
    expect(log.seen).toEqual(['later']);
  });

  it('keeps background runs to their share while deliveries arrive, foreground runs first', async () => {
    let clock = 1_000;
    const queue = new InlineExecutionQueue(silent, { backgroundShare: 2, now: () => clock });
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    queue.work(
      (id) =>
        new Promise<void>((resolve) => {
          started.push(id);
          finish.set(id, resolve);
        }),
      8,
    );
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) await queue.enqueue(id, { background: true });
    // Deliveries are arriving: two background runs at a time, though eight could run.
    expect(started).toEqual(['b1', 'b2']);
    await queue.enqueue('waited-for');
    expect(started).toEqual(['b1', 'b2', 'waited-for']);
    expect(await queue.depth()).toMatchObject({ waiting: 3, active: 3 });
    // One background run ends: the next one takes its place, still within the share.
    finish.get('b1')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['b1', 'b2', 'waited-for', 'b3']);
    // The burst is over: the next run that ends lets the rest of the backlog start at once.
    clock += 1_000;
    finish.get('b2')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['b1', 'b2', 'waited-for', 'b3', 'b4', 'b5']);
    for (const resolve of finish.values()) resolve();
    await queue.close();
  });
});
