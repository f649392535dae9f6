import type BetterSqlite3 from 'better-sqlite3';
import { dbTime, type SqlValue } from './raw-sql';

/** Prepared statements by SQL text, on the one SQLite connection. */
export class SqliteStatements {
  private readonly cache = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  /** Runs a write; answers how many rows it changed. */
  run(sql: string, parameters: readonly SqlValue[]): number {
    return this.prepared(sql).run(...toSqlite(parameters)).changes;
  }

  get<Row>(sql: string, parameters: readonly SqlValue[]): Row | undefined {
    return this.prepared(sql).get(...toSqlite(parameters)) as Row | undefined;
  }

  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

function toSqlite(parameters: readonly SqlValue[]): Array<string | number | null> {
  return parameters.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return dbTime('sqlite', value) as string;
    return value;
  });
}

/** Synchronous work on the connection, inside the batch's transaction. */
export type SqliteWork<T> = (statements: SqliteStatements) => T;

interface Entry {
  work: SqliteWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite: the writes that concurrent requests and runs submit during one turn of
 * the event loop run in one `BEGIN IMMEDIATE … COMMIT`, and each caller's promise resolves once
 * that commit returned (durable, per the `synchronous` setting). One commit is most of what a
 * small write costs, so a batch of 64 costs little more than one write alone. Under no load a
 * write waits one turn of the loop.
 *
 * `turn` is where the batch waits its turn among the TypeORM transactions on the same connection
 * (SQLite has one writer; better-sqlite3 would otherwise nest ours inside theirs).
 */
export class SqliteGroupCommit {
  private readonly statements: SqliteStatements;
  private pending: Entry[] = [];
  private scheduled = false;
  /** Batches committed and writes in them, for the metrics and the bench. */
  readonly stats = { batches: 0, writes: 0 };

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly turn: (work: () => Promise<void>) => Promise<void>,
  ) {
    this.statements = new SqliteStatements(db);
  }

  submit<T>(work: SqliteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    void this.turn(async () => this.commit(batch));
  }

  private commit(batch: Entry[]): void {
    let results: unknown[];
    try {
      results = this.db
        .transaction(() => batch.map((entry) => entry.work(this.statements)))
        .immediate();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One bad write must not fail its neighbours: each goes again in a transaction of its own.
      for (const entry of batch) this.commit([entry]);
      return;
    }
    this.stats.batches += 1;
    this.stats.writes += batch.length;
    for (let index = 0; index < batch.length; index += 1) batch[index].resolve(results[index]);
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.pending.length === 0 && !this.scheduled) {
      await this.turn(async () => undefined);
      return;
    }
    await this.submit(() => undefined);
  }
}
