import type BetterSqlite3 from 'better-sqlite3';

/*
 * The part of the SQLite group commit that touches the database: plans as plain data in (built
 * from WritePlans by write-plan.ts), one result per plan out.
 */

export type SqliteValue = string | number | null | Buffer;
export type SqliteStatement = [sql: string, parameters: SqliteValue[]];
/** Rows for one prepared single-row INSERT. */
export interface SqliteRows {
  sql: string;
  rows: SqliteValue[][];
}
export interface SqlitePlan {
  /** Must change a row, else the plan writes nothing else and answers false. */
  guard?: SqliteStatement;
  then: Array<SqliteStatement | SqliteRows>;
}
/** Per plan: written or not (guard), or why it failed. */
export type SqlitePlanResult = boolean | { error: string; code?: string };

/** The connection settings every connection to the file uses (TypeORM's and the writer's). */
export interface SqliteSettings {
  synchronous: 'NORMAL' | 'FULL';
}

export function applySqliteSettings(db: BetterSqlite3.Database, settings: SqliteSettings): void {
  db.pragma('busy_timeout = 5000');
  // WAL + NORMAL is durable against process crashes, not power loss; FULL syncs every commit.
  db.pragma(`synchronous = ${settings.synchronous}`);
  // A WAL that grew during a burst is cut back to this size after the next checkpoint.
  db.pragma('journal_size_limit = 33554432');
}

/**
 * A value this large (bytes, or characters) makes a write big: see SqliteBatchRunner.run. Half
 * of a big body's part (BODY_PART_BYTES), which is cut a few bytes short at a character boundary.
 */
export const BIG_WRITE_VALUE_BYTES = 512 * 1024;
/** The page cache while a big write runs, in SQLite's units (negative: KiB). */
const BIG_WRITE_CACHE_SIZE = -2048;

function isBig(value: SqliteValue): boolean {
  return (
    (typeof value === 'string' || Buffer.isBuffer(value)) && value.length >= BIG_WRITE_VALUE_BYTES
  );
}

function writesBigValue(plan: SqlitePlan): boolean {
  const writes = plan.guard ? [plan.guard, ...plan.then] : plan.then;
  return writes.some((write) =>
    Array.isArray(write) ? write[1].some(isBig) : write.rows.some((row) => row.some(isBig)),
  );
}

/** Runs batches of plans, one `BEGIN IMMEDIATE … COMMIT` each, over cached prepared statements. */
export class SqliteBatchRunner {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  /**
   * All plans in one transaction; if it fails, each plan alone, so one bad write (a constraint,
   * a value too big) does not fail its neighbours.
   */
  run(plans: readonly SqlitePlan[]): SqlitePlanResult[] {
    if (!plans.some(writesBigValue)) return this.runAll(plans);
    // A big value's overflow pages are written once and not read from the cache again: with the
    // usual cache they stay in it, dirty until the commit and resident after it (a 10 MiB body
    // adds 10 MiB to the process, on top of the copies SQLite makes to bind and to encode the
    // row). A small cache makes SQLite spill them to the WAL as it goes, as it does for any
    // transaction larger than its cache.
    const size = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = ${BIG_WRITE_CACHE_SIZE}`);
    try {
      return this.runAll(plans);
    } finally {
      this.db.pragma(`cache_size = ${size}`);
    }
  }

  private runAll(plans: readonly SqlitePlan[]): SqlitePlanResult[] {
    try {
      return this.db.transaction(() => plans.map((plan) => this.apply(plan))).immediate();
    } catch (error) {
      if (plans.length === 1) return [describe(error)];
      return plans.map((plan) => {
        try {
          return this.db.transaction(() => this.apply(plan)).immediate();
        } catch (alone) {
          return describe(alone);
        }
      });
    }
  }

  private apply(plan: SqlitePlan): boolean {
    if (plan.guard && this.prepared(plan.guard[0]).run(...plan.guard[1]).changes === 0) {
      return false;
    }
    for (const write of plan.then) {
      if (Array.isArray(write)) {
        this.prepared(write[0]).run(...write[1]);
      } else {
        const insert = this.prepared(write.sql);
        for (const row of write.rows) insert.run(...row);
      }
    }
    return true;
  }

  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function describe(error: unknown): { error: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return {
    error: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
