import type BetterSqlite3 from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * WAL frames (pages) above which a checkpoint also restarts the WAL: 4,000 pages of 4 KiB, 16 MiB.
 * Under a steady stream of commits a passive checkpoint never catches up with the last one, so
 * the WAL would only grow; a restart waits for the commit in progress and starts it over.
 */
const RESTART_ABOVE_FRAMES = 4_000;

/**
 * What the worker reports: a checkpoint failed (the file is full, say) — it tries again; it would
 * restart the WAL (`restart`); it did (`restarted`).
 */
interface WorkerReport {
  error?: string;
  restart?: boolean;
  restarted?: boolean;
}

/** How long a restart may keep the main thread's writes waiting before they go ahead anyway. */
const RESTART_HOLD_MAX_MS = 1_000;

/*
 * The worker, as source: it runs in a thread of its own with its own connection to the file, so
 * that the main thread never copies pages or syncs the file for a checkpoint. Plain JavaScript
 * (not a module of this package), so that it runs the same from dist/ and under the tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
// Never waits: a restart that found the writer lock taken, or a reader still on the WAL, would
// otherwise hold the lock while it waits, and a transaction of the main connection that read
// first and writes next would wait for it in turn (each until its busy timeout: "database is
// locked"). Without waiting, a restart that cannot finish checkpoints what it can, as PASSIVE does.
db.pragma('busy_timeout = 0');
db.pragma('synchronous = ' + workerData.synchronous);
let stopping = false;
let restartAsked = false;
let timer;
const tick = () => {
  if (stopping) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // The restart takes the writer lock: ask the main thread for a moment without its writes.
    if (result && result.log > workerData.restartAbove && !restartAsked) {
      restartAsked = true;
      parentPort.postMessage({ restart: true });
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (message) => {
  if (message === 'restart') {
    try {
      db.pragma('wal_checkpoint(RESTART)');
    } catch (error) {
      parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
    }
    restartAsked = false;
    parentPort.postMessage({ restarted: true });
    return;
  }
  stopping = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(tick, workerData.everyMs);
`;

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. By default SQLite checkpoints inside
 * the commit that pushes the WAL past 1,000 pages: on the one thread that serves every request,
 * that commit then copies ~4 MiB and syncs the file, a stall of 15–30 ms every few hundred runs
 * under load, and about a tenth of the write path's time (measured: 40,000 W1-sized runs at
 * ~4,000/s, commits over 5 ms 75 -> 0 with checkpoints moved off the thread). The main connection
 * stops checkpointing only once the worker runs; if the worker dies, it checkpoints again itself.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly exited: Promise<void>;

  /** Ends the hold of a restart in progress (see `restartBetweenWrites`). */
  private restartDone?: () => void;

  /**
   * `turn`: where the main connection's writes wait their turn (Database.outsideTransactions). A
   * restart takes SQLite's writer lock; a write that met it would sleep in SQLite's busy handler
   * (1, 2, 5, 10 ms … : stalls of 10–30 ms measured under W1), so the thread restarts only while
   * the turn is held for it, and the writes queued meanwhile wait without blocking the event loop.
   */
  constructor(
    private readonly db: BetterSqlite3.Database,
    options: {
      path: string;
      synchronous: 'NORMAL' | 'FULL';
      onError: (message: string) => void;
      turn?: (work: () => Promise<void>) => Promise<void>;
    },
  ) {
    const turn = options.turn ?? ((work: () => Promise<void>) => work());
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        path: options.path,
        synchronous: options.synchronous,
        everyMs: CHECKPOINT_EVERY_MS,
        restartAbove: RESTART_ABOVE_FRAMES,
      },
      // A thread that only copies pages needs little heap.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.worker.unref();
    // A full disk fails every checkpoint: say so once a minute, not ten times a second.
    let lastReport = Number.NEGATIVE_INFINITY;
    this.worker.on('message', (report: WorkerReport) => {
      if (report.restart) {
        void turn(() => this.restartBetweenWrites());
        return;
      }
      if (report.restarted) {
        this.restartDone?.();
        return;
      }
      if (report.error === undefined || Date.now() - lastReport < 60_000) return;
      lastReport = Date.now();
      options.onError(report.error);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        if (!this.stopped) {
          // Checkpoints come back to this connection: the WAL must not grow without bound.
          this.db.pragma('wal_autocheckpoint = 1000');
          options.onError('the checkpoint thread stopped; checkpointing on the main thread');
        }
        this.restartDone?.();
        resolve();
      });
    });
    this.worker.once('error', (error) => options.onError(error.message));
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /** Holds the caller's turn until the thread restarted the WAL (or gave up, or stopped). */
  private restartBetweenWrites(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const hold = setTimeout(done, RESTART_HOLD_MAX_MS);
      function done(): void {
        clearTimeout(hold);
        resolve();
      }
      this.restartDone = () => {
        this.restartDone = undefined;
        done();
      };
      this.worker.postMessage('restart');
    });
  }

  /** Stops the thread; the main connection checkpoints again (and on close, as SQLite does). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.db.pragma('wal_autocheckpoint = 1000');
    // Referenced while it stops: an unreferenced thread would not keep the process alive, and a
    // caller awaiting this (a CLI command closing, then setting its exit code) would see the
    // process end before the await returns.
    this.worker.ref();
    this.restartDone?.();
    this.worker.postMessage('stop');
    const stuck = setTimeout(() => void this.worker.terminate(), 2_000);
    await this.exited;
    clearTimeout(stuck);
  }
}
