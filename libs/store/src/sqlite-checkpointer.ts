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

/** What the worker reports: a checkpoint failed (the file is full, say) — it tries again. */
interface WorkerReport {
  error: string;
}

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
let timer;
const tick = () => {
  if (stopping) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.log > workerData.restartAbove) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', () => {
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

  constructor(
    private readonly db: BetterSqlite3.Database,
    options: { path: string; synchronous: 'NORMAL' | 'FULL'; onError: (message: string) => void },
  ) {
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
      if (Date.now() - lastReport < 60_000) return;
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
        resolve();
      });
    });
    this.worker.once('error', (error) => options.onError(error.message));
    this.db.pragma('wal_autocheckpoint = 0');
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
    this.worker.postMessage('stop');
    const stuck = setTimeout(() => void this.worker.terminate(), 2_000);
    await this.exited;
    clearTimeout(stuck);
  }
}
