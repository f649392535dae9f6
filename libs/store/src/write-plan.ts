import type { EntityManager } from 'typeorm';
import type { Database } from './database';
import { dbTime, execute, type SqlValue } from './raw-sql';
import type { SqlitePlan, SqliteStatement, SqliteValue } from './sqlite-batch';

export type Statement = [sql: string, parameters: SqlValue[]];

/**
 * Rows for one table, all with the same columns: one prepared single-row INSERT per row on SQLite
 * (no SQL text to build, the statement is reused), one multi-row INSERT on PostgreSQL (one round
 * trip).
 */
export class RowsInsert {
  /** `INSERT INTO table (a, b) VALUES (?, ?)`. */
  readonly oneRow: string;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {
    this.oneRow = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  }

  /** The statements for these rows (each row's values in column order). */
  of(rows: SqlValue[][]): PlannedRows {
    return { insert: this, rows };
  }
}

export interface PlannedRows {
  insert: RowsInsert;
  rows: SqlValue[][];
}

export type Write = Statement | PlannedRows;

function multiRow({ insert, rows }: PlannedRows): Statement {
  const tuple = `(${insert.columns.map(() => '?').join(', ')})`;
  return [
    `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    rows.flat(),
  ];
}

/**
 * One atomic write of the hot path as plain statements: `guard` (when there is one) must change
 * a row, else nothing else is written and the plan answers false (a dedup key already taken, a
 * lease lost). A plan may be given as a function, built when it is written. Plans are data, so SQLite can run many in one group commit and PostgreSQL in one
 * transaction of its own.
 */
export interface WritePlan {
  guard?: Statement;
  then: Write[];
}

/** Runs a plan atomically: in the next SQLite group commit, or one PostgreSQL transaction. */
export function applyPlan(
  database: Database,
  build: WritePlan | (() => WritePlan),
): Promise<boolean> {
  const batch = database.groupCommit;
  if (batch) {
    // A plan given as a function is built as the batch is written (see beginAccept).
    return batch.submit(() => toSqlite(typeof build === 'function' ? build() : build));
  }
  const plan = typeof build === 'function' ? build() : build;
  return database.transaction(async (manager: EntityManager) => {
    if (plan.guard && (await execute(manager, database.kind, ...plan.guard)) === 0) return false;
    for (const write of plan.then) {
      if (Array.isArray(write)) await execute(manager, database.kind, ...write);
      else if (write.rows.length > 0) await execute(manager, database.kind, ...multiRow(write));
    }
    return true;
  });
}

function sqliteValue(value: SqlValue): SqliteValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return dbTime('sqlite', value) as string;
  return value;
}

/** The values as SQLite takes them; the same array when they already are (the usual case). */
function sqliteValues(values: SqlValue[]): SqliteValue[] {
  for (const value of values) {
    if (typeof value === 'boolean' || value instanceof Date) return values.map(sqliteValue);
  }
  return values as SqliteValue[];
}

/** The plan as the SQLite batch runner takes it: plain values, rows for a single-row INSERT. */
function toSqlite(plan: WritePlan): SqlitePlan {
  const then = plan.then.map((write) =>
    Array.isArray(write)
      ? ([write[0], sqliteValues(write[1])] satisfies SqliteStatement)
      : { sql: write.insert.oneRow, rows: write.rows.map(sqliteValues) },
  );
  return plan.guard ? { guard: [plan.guard[0], sqliteValues(plan.guard[1])], then } : { then };
}
