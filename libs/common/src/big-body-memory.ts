import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc()`: bare, a full collection; with `{ type: 'minor' }`, the young generation only. */
export type Collect = (options?: { type: 'minor' }) => void;

let obtained: Collect | null | undefined;

/**
 * V8's `gc()` without `--expose-gc` on the command line: the flag set for a moment at run time
 * installs `gc` in a context created meanwhile, and is cleared again so that no later context
 * (nor this process's global) gets it. Undefined where V8 refuses.
 */
export function garbageCollector(): Collect | undefined {
  if (obtained === undefined) {
    obtained = null;
    try {
      setFlagsFromString('--expose-gc');
      const collect: unknown = runInNewContext('gc');
      if (typeof collect === 'function') obtained = collect as Collect;
    } catch {
      // No gc() then: big bodies are collected whenever V8 decides, as before.
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  return obtained ?? undefined;
}

/** A body of this many bytes or more is big: read into memory of its own and collected after. */
export const BIG_BODY_BYTES = 1024 * 1024;

/**
 * Bytes of big bodies that may lie uncollected before a full collection is forced; one full
 * collection (tens of milliseconds) per this many bytes keeps its cost below that of parsing them.
 */
export const BIG_BODY_COLLECT_EVERY_BYTES = 8 * 1024 * 1024;

/** Bytes of big bodies copied between two young-generation collections while they arrive. */
export const BIG_BODY_SWEEP_EVERY_BYTES = 1024 * 1024;

/**
 * When the memory of big request bodies is collected. V8 collects its old generation when it has
 * grown by a share of what survived (HOOKFLOW_HEAP_GROWTH_PERCENT), which a few big bodies do not
 * reach: their raw bytes, decoded text and parsed value outlive the request as garbage, and the
 * next big body comes on top. Worse, the text is promoted while JSON.parse runs, so it is still
 * there when the body is written to SQLite. A full collection is forced at two points, each only
 * once `collectEvery` bytes of big bodies may be garbage:
 * - before a big body is read: what earlier big bodies left behind goes first;
 * - after a big body is parsed: its text (and Node's copies of the received chunks) go before the
 *   database write, which needs about twice the body again.
 */
export class BigBodyMemory {
  /** Bytes of big bodies that may be garbage by now (received since the last forced collection). */
  private pending = 0;
  /** Bytes of big bodies copied since the last young-generation collection. */
  private copiedSinceSweep = 0;

  constructor(
    private readonly collect: () => Collect | undefined = garbageCollector,
    private readonly collectEvery = BIG_BODY_COLLECT_EVERY_BYTES,
  ) {}

  /** A body of `bytes` (as announced) is about to be read. */
  beforeReceive(bytes: number): void {
    if (bytes < BIG_BODY_BYTES || this.pending < this.collectEvery) return;
    this.run();
  }

  /**
   * `bytes` more of a big body were copied into its buffer. Node hands over each chunk it reads
   * as a copy of its own (64 KiB from the C heap), garbage once copied but kept until the next
   * young-generation collection, of which a body arriving causes none: a 10 MiB body would leave
   * 10 MiB of the C heap behind it, where the database write needs it again. Swept every MiB (a
   * young-generation collection takes a millisecond or two), the copies reuse the same memory.
   */
  copied(bytes: number): void {
    this.copiedSinceSweep += bytes;
    if (this.copiedSinceSweep < BIG_BODY_SWEEP_EVERY_BYTES) return;
    this.copiedSinceSweep = 0;
    this.collect()?.({ type: 'minor' });
  }

  /** A body of `bytes` was parsed; its text is garbage now, its bytes and value are not yet. */
  afterParse(bytes: number): void {
    if (bytes < BIG_BODY_BYTES) return;
    this.pending += bytes;
    if (this.pending < this.collectEvery) return;
    this.run();
    // Its bytes and parsed value live on with the request and its run: garbage later.
    this.pending = bytes;
  }

  private run(): void {
    const collect = this.collect();
    if (!collect) return;
    // Bare: with an options object (`{ type: 'major' }`) V8 11 returned in a few milliseconds
    // having freed next to nothing here.
    collect();
    this.pending = 0;
  }
}

/** The process's one policy: collections are process-wide, so is what they are counted against. */
export const bigBodyMemory = new BigBodyMemory();
