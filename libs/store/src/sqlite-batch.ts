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

/** Runs batches of plans, one `BEGIN IMMEDIATE … COMMIT` each, over cached prepared statements. */
export class SqliteBatchRunner {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  /**
   * All plans in one transaction; if it fails, each plan alone, so one bad write (a constraint,
   * a value too big) does not fail its neighbours.
   */
  run(plans: readonly SqlitePlan[]): SqlitePlanResult[] {
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
