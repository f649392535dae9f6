import { runInNewContext } from 'node:vm';
import {
  BIG_BODY_BYTES,
  BIG_BODY_COLLECT_EVERY_BYTES,
  BIG_BODY_SWEEP_EVERY_BYTES,
  BigBodyMemory,
  garbageCollector,
} from './big-body-memory';

const MiB = 1024 * 1024;

/** A policy whose collections are counted instead of run. */
function counted() {
  let collections = 0;
  const memory = new BigBodyMemory(() => () => {
    collections += 1;
  });
  return { memory, collections: () => collections };
}

describe('BigBodyMemory', () => {
  it('never collects for bodies under the big-body size', () => {
    const { memory, collections } = counted();
    for (let index = 0; index < 1000; index += 1) {
      memory.beforeReceive(BIG_BODY_BYTES - 1);
      memory.afterParse(BIG_BODY_BYTES - 1);
    }
    expect(collections()).toBe(0);
  });

  it('collects after each 10 MiB body is parsed and before the next one is read', () => {
    const { memory, collections } = counted();
    memory.beforeReceive(10 * MiB); // nothing left behind yet
    expect(collections()).toBe(0);
    memory.afterParse(10 * MiB); // its text goes before the write
    expect(collections()).toBe(1);
    memory.beforeReceive(10 * MiB); // the first body's bytes and value go
    expect(collections()).toBe(2);
    memory.afterParse(10 * MiB);
    expect(collections()).toBe(3);
  });

  it('collects once per 8 MiB of 1 MiB bodies, not once per body', () => {
    const { memory, collections } = counted();
    const bodies = 64;
    for (let index = 0; index < bodies; index += 1) {
      memory.beforeReceive(MiB);
      memory.afterParse(MiB);
    }
    const perCollection = BIG_BODY_COLLECT_EVERY_BYTES / MiB;
    expect(collections()).toBeGreaterThanOrEqual(bodies / perCollection - 1);
    expect(collections()).toBeLessThanOrEqual(bodies / perCollection + 1);
  });

  it('sweeps the young generation once per MiB of big bodies copied as they arrive', () => {
    const minor: Array<{ type: 'minor' } | undefined> = [];
    const memory = new BigBodyMemory(() => (options) => {
      minor.push(options);
    });
    for (let copied = 0; copied < 10 * MiB; copied += 65_536) memory.copied(65_536);
    expect(minor).toHaveLength((10 * MiB) / BIG_BODY_SWEEP_EVERY_BYTES);
    expect(minor.every((options) => options?.type === 'minor')).toBe(true);
  });

  it('does nothing where no gc() can be had', () => {
    const memory = new BigBodyMemory(() => undefined);
    expect(() => {
      memory.beforeReceive(64 * MiB);
      memory.afterParse(64 * MiB);
      memory.beforeReceive(64 * MiB);
      memory.copied(64 * MiB);
    }).not.toThrow();
  });
});

describe('garbageCollector', () => {
  it('collects garbage now, and leaves no gc() behind for other code', async () => {
    const collect = garbageCollector();
    expect(collect).toBeDefined();
    let garbage: object | undefined = { big: 'x'.repeat(1024) };
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // A WeakRef's target is kept until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collect?.();
    expect(ref.deref()).toBeUndefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(garbageCollector()).toBe(collect);
  });
});
