import type BetterSqlite3 from 'better-sqlite3';
import { PerTurnBatch } from '@hookflow/common';
import { SqliteBatchRunner, type SqlitePlan, type SqlitePlanResult } from './sqlite-batch';

interface Entry {
  build: () => SqlitePlan;
  resolve(written: boolean): void;
  reject(error: unknown): void;
}

/** A write the database refused; `code` is SQLite's (SQLITE_FULL, SQLITE_BUSY, ...). */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqliteWriteError';
  }
}

/**
 * Group commit for SQLite: the writes that concurrent requests and runs submit during one turn of
 * the event loop run in one `BEGIN IMMEDIATE … COMMIT`, and each caller's promise resolves once
 * that commit returned (durable, per the `synchronous` setting). One commit is most of what a
 * small write costs, so a batch of 64 costs little more than one write alone. Under no load a
 * write waits one turn of the loop.
 *
 * Batches run on this thread's connection. (A writer thread with its own connection was tried:
 * under a closed-loop load every request waits for the same commit, so the event loop idled
 * while the thread wrote, and cloning the batch cost more than the commit; measured slower.)
 * `turn` is where a batch waits its turn among the TypeORM transactions on the same connection:
 * better-sqlite3 would otherwise nest ours inside theirs.
 */
export class SqliteGroupCommit {
  private readonly batch = new PerTurnBatch<Entry>((entries) => {
    void this.turn(async () => this.write(entries));
  });
  private readonly runner: SqliteBatchRunner;

  constructor(
    db: BetterSqlite3.Database,
    private readonly turn: (work: () => Promise<void>) => Promise<void>,
  ) {
    this.runner = new SqliteBatchRunner(db);
  }

  /**
   * Writes a plan in the next batch; true when written, false when its guard changed no row. A
   * plan given as a function is built when the batch is written, so what happens until then (a
   * run finishing in the same turn) can still go into it.
   */
  submit(plan: SqlitePlan | (() => SqlitePlan)): Promise<boolean> {
    const build = typeof plan === 'function' ? plan : () => plan;
    return new Promise<boolean>((resolve, reject) => this.batch.add({ build, resolve, reject }));
  }

  private write(batch: Entry[]): void {
    let results: SqlitePlanResult[];
    try {
      results = this.runner.run(batch.map((entry) => entry.build()));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => {
      const result = results[index];
      if (typeof result === 'boolean') entry.resolve(result);
      else entry.reject(new SqliteWriteError(result.error, result.code));
    });
  }

  /** Resolves once everything submitted so far is written (or failed). */
  async drain(): Promise<void> {
    await this.submit({ then: [] }).catch(() => undefined);
  }
}
