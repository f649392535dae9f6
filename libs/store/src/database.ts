import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource, MigrationExecutor, type DataSourceOptions, type EntityManager } from 'typeorm';
import type { DatabaseConfig } from '@hookflow/common';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';
import { applySqliteSettings, type SqliteSettings } from './sqlite-batch';
import { PostgresGroupCommit } from './postgres-group-commit';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteGroupCommit } from './sqlite-group-commit';
import { writeAlone } from './write-plan';

/** Any number from 1..2^31; the same in every process, so they all wait on one lock. */
const MIGRATION_LOCK_KEY = 804_291_117;

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  if (config.kind === 'postgres') {
    const timeoutMs = config.statementTimeoutMs ?? 0;
    return {
      ...common,
      type: 'postgres',
      url: config.url,
      // A stuck or unreachable database fails a request within the timeout (503) instead of
      // holding it open: per statement on the server, and for a connection from the pool.
      extra: {
        max: 20,
        // Every statement planned with its values. Our hot statements are named prepared ones,
        // and PostgreSQL switches such a statement to a generic plan after five runs: made while
        // a table was still small (a fresh install, the first minute of a burst), that plan scans
        // the whole table and stays until an ANALYZE. A queue-mode drain of 22,000 runs went at
        // ~200 runs/s that way, its claim statement scanning `executions` each time; planned
        // per run, 2,000 runs/s. Planning these statements costs a fraction of a millisecond.
        // Set on each new connection rather than as a startup parameter, which PgBouncer refuses;
        // a server that does not know the setting (before PostgreSQL 12) keeps its default.
        onConnect: (client: { query(sql: string): Promise<unknown> }) =>
          client.query('SET plan_cache_mode = force_custom_plan').catch(() => undefined),
        ...(timeoutMs > 0
          ? { statement_timeout: timeoutMs, connectionTimeoutMillis: timeoutMs }
          : {}),
      },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    prepareDatabase: (db: BetterSqlite3.Database) => {
      applySqliteSettings(db, sqliteSettings(config));
      enableIncrementalVacuum(db);
    },
  };
}

function sqliteSettings(config: DatabaseConfig & { kind: 'sqlite' }): SqliteSettings {
  return { synchronous: config.synchronous === 'full' ? 'FULL' : 'NORMAL' };
}

/**
 * Lets the retention pruner give freed pages back to the file system (`PRAGMA incremental_vacuum`).
 * The mode only takes effect on a database without tables, or through one full VACUUM: a database
 * created before this setting is rebuilt once, on this start (it takes a while on a large file).
 */
function enableIncrementalVacuum(db: BetterSqlite3.Database): void {
  const INCREMENTAL = 2;
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get();
  // VACUUM cannot run in a transaction; here, before TypeORM opens any, it can.
  if (hasTables !== undefined) db.exec('VACUUM');
}

/**
 * The database connection plus the one way to write atomically. SQLite allows a single writer and
 * TypeORM shares one connection, so transactions are queued here instead of colliding.
 */
export class Database {
  private sqliteChain: Promise<unknown> = Promise.resolve();
  /** SQLite only: the hot path's writes, batched per turn of the event loop. */
  readonly groupCommit?: SqliteGroupCommit;
  /** PostgreSQL only: the same, as one statement per turn. */
  readonly postgresBatch?: PostgresGroupCommit;

  readonly kind: DatabaseConfig['kind'];
  /** SQLite file, when asked for: checkpoints the WAL from a thread of its own. */
  private checkpointer?: SqliteCheckpointer;

  private constructor(
    readonly dataSource: DataSource,
    config: DatabaseConfig,
  ) {
    this.kind = config.kind;
    if (config.kind === 'postgres') {
      this.postgresBatch = new PostgresGroupCommit(dataSource, (plan) => writeAlone(this, plan));
    }
    if (config.kind === 'sqlite') {
      const driver = dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database };
      this.groupCommit = new SqliteGroupCommit(driver.databaseConnection, (work) =>
        this.outsideTransactions(work),
      );
    }
  }

  /**
   * `checkpointThread`: a long-running server's SQLite file is checkpointed from a worker thread
   * (see SqliteCheckpointer), its problems reported to `warn`. Short-lived users (the CLI, tests
   * of the store) leave it to SQLite.
   */
  static async open(
    config: DatabaseConfig,
    options: { checkpointThread?: { warn: (message: string) => void } } = {},
  ): Promise<Database> {
    if (config.kind === 'sqlite' && config.path !== ':memory:') {
      mkdirSync(dirname(config.path), { recursive: true });
    }
    const dataSource = new DataSource(dataSourceOptions(config));
    await dataSource.initialize();
    const database = new Database(dataSource, config);
    await database.migrate();
    const thread = options.checkpointThread;
    if (thread && config.kind === 'sqlite' && config.path !== ':memory:') {
      const driver = dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database };
      database.checkpointer = new SqliteCheckpointer(driver.databaseConnection, {
        path: config.path,
        synchronous: sqliteSettings(config).synchronous,
        onError: thread.warn,
        // The restart waits for the writes in progress and the writes for it, in line.
        turn: (work) => database.outsideTransactions(work),
      });
    }
    return database;
  }

  /** Runs pending migrations; concurrent starts on PostgreSQL wait for each other. */
  async migrate(): Promise<string[]> {
    if (this.kind === 'postgres') {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        // Waiting for another process's migrations, or rebuilding a big table, may take longer
        // than the statement timeout of requests: this connection has none until released.
        await runner.query('SET statement_timeout = 0');
        await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        const executor = new MigrationExecutor(this.dataSource, runner);
        executor.transaction = 'all';
        const ran = await executor.executePendingMigrations();
        return ran.map((migration) => migration.name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        await runner.query('RESET statement_timeout');
        await runner.release();
      }
    }
    const ran = await this.dataSource.runMigrations({ transaction: 'all' });
    return ran.map((migration) => migration.name);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    const run = this.sqliteChain.then(() => this.dataSource.transaction(work));
    this.sqliteChain = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `work` with no transaction open: on SQLite it waits its turn among the writers, for
   * statements that must not run inside another's transaction (PRAGMA incremental_vacuum).
   */
  outsideTransactions<T>(work: () => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return work();
    const run = this.sqliteChain.then(work);
    this.sqliteChain = run.catch(() => undefined);
    return run;
  }

  async isHealthy(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether a write can commit now: the recovery probe of an outage. PostgreSQL: the server
   * answers (its outages are connections refused or cut). SQLite: a transaction that needs new
   * pages of the file, rolled back — a full or read-only file fails it although reads succeed.
   */
  async canWrite(): Promise<boolean> {
    if (this.kind === 'postgres') return this.isHealthy();
    const driver = this.dataSource.driver as unknown as {
      databaseConnection: BetterSqlite3.Database;
    };
    const db = driver.databaseConnection;
    return this.outsideTransactions(async () => {
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          db.exec('CREATE TABLE hookflow_write_probe (x BLOB)');
          db.exec('INSERT INTO hookflow_write_probe VALUES (zeroblob(65536))');
        } finally {
          db.exec('ROLLBACK');
        }
        return true;
      } catch {
        return false;
      }
    });
  }

  async close(): Promise<void> {
    await this.groupCommit?.drain();
    await this.sqliteChain;
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
