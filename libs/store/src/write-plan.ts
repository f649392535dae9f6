import type { EntityManager } from 'typeorm';
import type { Database } from './database';
import { execute, type SqlValue } from './raw-sql';

export type Statement = [sql: string, parameters: SqlValue[]];

/**
 * One atomic write of the hot path as plain statements: `guard` (when there is one) must change
 * a row, else nothing else is written and the plan answers false (a dedup key already taken, a
 * lease lost). A plan may be given as a function, built when it is written. Plans are data, so SQLite can run many in one group commit and PostgreSQL in one
 * transaction of its own.
 */
export interface WritePlan {
  guard?: Statement;
  then: Statement[];
}

/** Runs a plan atomically: in the next SQLite group commit, or one PostgreSQL transaction. */
export function applyPlan(
  database: Database,
  build: WritePlan | (() => WritePlan),
): Promise<boolean> {
  const batch = database.groupCommit;
  if (batch) {
    return batch.submit((statements) => {
      // A plan given as a function is built as the batch commits (see beginAccept).
      const plan = typeof build === 'function' ? build() : build;
      if (plan.guard && statements.run(...plan.guard) === 0) return false;
      for (const statement of plan.then) statements.run(...statement);
      return true;
    });
  }
  const plan = typeof build === 'function' ? build() : build;
  return database.transaction(async (manager: EntityManager) => {
    if (plan.guard && (await execute(manager, database.kind, ...plan.guard)) === 0) return false;
    for (const statement of plan.then) await execute(manager, database.kind, ...statement);
    return true;
  });
}

/** `INSERT INTO table (a, b) VALUES (?, ?), (?, ?)` for rows with the same columns. */
export function insertMany(table: string, rows: Array<Record<string, SqlValue>>): Statement {
  const columns = Object.keys(rows[0]);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return [
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    rows.flatMap((row) => columns.map((column) => row[column])),
  ];
}
