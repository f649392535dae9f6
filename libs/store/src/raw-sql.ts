import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig } from '@hookflow/common';

/*
 * The hot path (accepting a delivery, checkpointing a node) writes with plain SQL: the profile
 * of the intake showed most of its time in TypeORM's query builder, not in the database. These
 * helpers keep those statements portable between SQLite and PostgreSQL and store values exactly
 * as TypeORM would, so entities read them back unchanged.
 */

type Kind = DatabaseConfig['kind'];
/** A Buffer only where the statement says how to store it (see deliveryInsert). */
export type SqlValue = string | number | boolean | null | Date | Buffer;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The last time dbTime wrote for SQLite: the rows of one batch mostly share a millisecond. */
let lastMs = Number.NaN;
let lastText = '';

/** SQLite `datetime` columns hold UTC `YYYY-MM-DD HH:MM:SS.SSS` (TypeORM's format). */
export function dbTime(kind: Kind, date: Date): SqlValue {
  if (kind === 'postgres') return date;
  const ms = date.getTime();
  if (ms === lastMs) return lastText;
  lastText =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    pad(date.getUTCMilliseconds(), 3);
  lastMs = ms;
  return lastText;
}

/** `simple-json` columns: JSON text, NULL for null. */
export function dbJson(value: unknown): SqlValue {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

const placeholderCache = new Map<string, string>();

/** Writes `?` placeholders; PostgreSQL gets `$1, $2, ...`. */
function dialect(kind: Kind, sql: string): string {
  if (kind === 'sqlite') return sql;
  let converted = placeholderCache.get(sql);
  if (!converted) {
    let index = 0;
    converted = sql.replace(/\?/g, () => `$${++index}`);
    placeholderCache.set(sql, converted);
  }
  return converted;
}

/** Runs a write inside the current transaction; answers how many rows it touched. */
export async function execute(
  manager: EntityManager,
  kind: Kind,
  sql: string,
  parameters: SqlValue[],
): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('raw writes run inside Database.transaction');
  const result = (await runner.query(dialect(kind, sql), parameters, true)) as {
    affected?: number;
  };
  return result.affected ?? 0;
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const statementNames = new Map<string, string>();

/**
 * PostgreSQL: one statement of the hot path as a named prepared statement on the pool (parsed
 * and planned once per connection, not on every run), outside any transaction. Answers its rows
 * (RETURNING included).
 */
export async function prepared<Row>(
  dataSource: DataSource,
  sql: string,
  parameters: SqlValue[],
): Promise<Row[]> {
  const text = dialect('postgres', sql);
  let name = statementNames.get(text);
  if (!name) {
    name = `hf_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  const result = await pool.query({ name, text, values: parameters });
  return result.rows as Row[];
}

/** A read outside any transaction, with portable placeholders. */
export async function select<Row>(
  dataSource: DataSource,
  kind: Kind,
  sql: string,
  parameters: SqlValue[],
): Promise<Row[]> {
  return (await dataSource.query(dialect(kind, sql), parameters)) as Row[];
}

/** The INSERT texts made so far, by table: one per column list (and placeholder style). */
const insertTexts = new Map<string, Array<{ columns: readonly string[]; sql: string }>>();

/**
 * `INSERT INTO table (a, b) VALUES (?, ?)`, made once per table and column list: the statement
 * cache (and SQLite's prepared statements) look a text up by value, and a text built afresh for
 * every row is hashed and compared in full each time, where the same string's hash is kept.
 * `placeholder` writes a column's placeholder (default `?`); `variant` names a non-default one.
 */
export function insertText(
  table: string,
  columns: readonly string[],
  placeholder: (column: string) => string = () => '?',
  variant = '',
): string {
  const key = variant ? `${table}#${variant}` : table;
  let known = insertTexts.get(key);
  if (!known) {
    known = [];
    insertTexts.set(key, known);
  }
  const same = known.find(
    (entry) =>
      entry.columns.length === columns.length &&
      entry.columns.every((column, index) => column === columns[index]),
  );
  if (same) return same.sql;
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(placeholder).join(', ')})`;
  known.push({ columns, sql });
  return sql;
}

/** `INSERT INTO table (a, b) VALUES (?, ?)` from a column -> value record. */
export function insertSql(table: string, row: Record<string, SqlValue>): [string, SqlValue[]] {
  const columns = Object.keys(row);
  return [insertText(table, columns), columns.map((column) => row[column])];
}
