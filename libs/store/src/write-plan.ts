import type { Database } from './database';
import { dbTime, insertText, prepared, type SqlValue } from './raw-sql';
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

  /** `placeholder` and `variant`: as insertText's (a value bound as bytes, stored as text). */
  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    placeholder?: (column: string) => string,
    variant?: string,
  ) {
    this.oneRow = insertText(table, columns, placeholder, variant);
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

/** Runs a plan atomically: in the next SQLite group commit, or as one PostgreSQL statement. */
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
  return database.postgresBatch ? database.postgresBatch.submit(plan) : writeAlone(database, plan);
}

/** One plan, one prepared statement. */
export function writeAlone(database: Database, plan: WritePlan): Promise<boolean> {
  const [sql, parameters] = postgresStatement(plan);
  return prepared<{ written: number }>(database.dataSource, sql, parameters).then(
    (rows) => (rows[0]?.written ?? 0) > 0,
  );
}

const SINGLE_ROW_INSERT = /^(INSERT INTO \w+ \([^)]*\)) VALUES \((.*)\)$/s;

/** A plan as CTEs of a PostgreSQL statement, named with `prefix`; `written` counts its guard. */
export interface PlanParts {
  parts: string[];
  parameters: SqlValue[];
  /** An expression: > 0 when the plan was written. */
  written: string;
}

export function postgresParts(plan: WritePlan, prefix: string): PlanParts {
  const writes: Statement[] = plan.then.flatMap((write) => {
    if (Array.isArray(write)) return [write];
    if (write.rows.length === 0) return [];
    // Guarded rows go one per CTE (a single-row SELECT takes its types from the columns).
    return plan.guard
      ? write.rows.map((row): Statement => [write.insert.oneRow, row])
      : [multiRow(write)];
  });
  const parts: string[] = [];
  const parameters: SqlValue[] = [];
  const guard = `${prefix}g`;
  if (plan.guard) {
    parts.push(`${guard} AS (${plan.guard[0]} RETURNING 1)`);
    parameters.push(...plan.guard[1]);
  }
  writes.forEach(([sql, values], index) => {
    let text = sql;
    if (plan.guard) {
      const insert = SINGLE_ROW_INSERT.exec(sql);
      if (!insert) throw new Error(`a guarded plan writes single-row INSERTs only: ${sql}`);
      text = `${insert[1]} SELECT ${insert[2]} WHERE EXISTS (SELECT 1 FROM ${guard})`;
    }
    parts.push(`${prefix}w${index} AS (${text})`);
    parameters.push(...values);
  });
  return { parts, parameters, written: plan.guard ? `(SELECT count(*)::int FROM ${guard})` : '1' };
}

/**
 * A plan as ONE PostgreSQL statement (one round trip, atomic without BEGIN/COMMIT): the guard and
 * each write become data-modifying CTEs, and with a guard every insert is `INSERT … SELECT …
 * WHERE EXISTS (guard's rows)`, so nothing is written unless the guard changed a row.
 */
export function postgresStatement(plan: WritePlan): Statement {
  const { parts, parameters, written } = postgresParts(plan, '');
  const result = `SELECT ${written} AS written`;
  return [parts.length > 0 ? `WITH ${parts.join(', ')} ${result}` : result, parameters];
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
