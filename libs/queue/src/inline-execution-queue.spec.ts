import pino from 'pino';
import {
  BACKLOG_IN_MEMORY_MAX,
  BACKLOG_PAGE,
  InlineExecutionQueue,
} from './inline-execution-queue';

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

  describe('a backlog longer than memory holds', () => {
    /** The executions table as the reader sees it: pending ids leased to this process. */
    function table() {
      const pending = new Set<string>();
      let reads = 0;
      const read = async (fromId: string, limit: number) => {
        reads += 1;
        await new Promise((resolve) => setImmediate(resolve));
        return [...pending]
          .filter((id) => id >= fromId)
          .sort()
          .slice(0, limit);
      };
      return { pending, read, reads: () => reads };
    }
    const idOf = (n: number) => `run-${String(n).padStart(6, '0')}`;

    it('leaves ids past the limit on disk, counts them, and runs every one once in order', async () => {
      const disk = table();
      const queue = new InlineExecutionQueue(silent);
      queue.keepBacklogOnDisk(disk.read);
      const total = BACKLOG_IN_MEMORY_MAX + 2 * BACKLOG_PAGE + 123;
      for (let n = 0; n < total; n += 1) {
        disk.pending.add(idOf(n));
        await queue.enqueue(idOf(n), { background: true, leased: true });
      }
      expect((await queue.depth()).waiting).toBe(total);
      expect(disk.reads()).toBe(0);

      const seen: string[] = [];
      const leasedFlags = new Set<boolean>();
      const all = calls(total);
      queue.work(async (id, taken) => {
        leasedFlags.add(taken.leased);
        disk.pending.delete(id); // finished: no longer pending
        seen.push(id);
        all.record(id);
      }, 4);
      await all.reached;
      await queue.close();
      expect(seen).toEqual(Array.from({ length: total }, (_, n) => idOf(n)));
      expect([...leasedFlags]).toEqual([true]);
      expect(disk.reads()).toBeGreaterThanOrEqual(2);
    });

    it('does not lose an id left on disk while a read was under way, nor one that came out of order', async () => {
      const disk = table();
      const queue = new InlineExecutionQueue(silent);
      queue.keepBacklogOnDisk(disk.read);
      // Fill memory, then leave one id on disk; the next comes late with a lower id.
      for (let n = 10; n < BACKLOG_IN_MEMORY_MAX + 11; n += 1) {
        disk.pending.add(idOf(n));
        await queue.enqueue(idOf(n), { background: true, leased: true });
      }
      disk.pending.add(idOf(5));
      await queue.enqueue(idOf(5), { background: true, leased: true });
      const expected = BACKLOG_IN_MEMORY_MAX + 2;
      const seen = new Set<string>();
      let extra = 0;
      const all = calls(expected + 1);
      queue.work(async (id) => {
        // While the backlog is read back, one more delivery is accepted and left on disk.
        if (disk.reads() === 1 && extra === 0) {
          extra = 1;
          disk.pending.add(idOf(999_999));
          await queue.enqueue(idOf(999_999), { background: true, leased: true });
        }
        disk.pending.delete(id);
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        all.record(id);
      }, 2);
      await all.reached;
      await queue.close();
      expect(seen.has(idOf(5))).toBe(true);
      expect(seen.has(idOf(999_999))).toBe(true);
      expect(seen.size).toBe(expected + 1);
    });

    it('keeps every id in memory when nothing can read the backlog back', async () => {
      const queue = new InlineExecutionQueue(silent);
      const total = BACKLOG_IN_MEMORY_MAX + 5;
      for (let n = 0; n < total; n += 1) {
        await queue.enqueue(idOf(n), { background: true, leased: true });
      }
      const all = calls(total);
      queue.work(async (id) => all.record(id), 8);
      await all.reached;
      await queue.close();
      expect(all.seen.length).toBe(total);
    });
  });
});
