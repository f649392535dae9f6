import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import type { DatabaseConfig } from '@hookflow/common';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';

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
    return { ...common, type: 'postgres', url: config.url, extra: { max: 20 } };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      // WAL + NORMAL is durable against process crashes (not power loss), at a fraction of FULL's cost.
      db.pragma('synchronous = NORMAL');
    },
  };
}

/**
 * The database connection plus the one way to write atomically. SQLite allows a single writer and
 * TypeORM shares one connection, so transactions are queued here instead of colliding.
 */
export class Database {
  private sqliteChain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dataSource: DataSource,
    readonly kind: DatabaseConfig['kind'],
  ) {}

  static async open(config: DatabaseConfig): Promise<Database> {
    if (config.kind === 'sqlite' && config.path !== ':memory:') {
      mkdirSync(dirname(config.path), { recursive: true });
    }
    const dataSource = new DataSource(dataSourceOptions(config));
    await dataSource.initialize();
    const database = new Database(dataSource, config.kind);
    await database.migrate();
    return database;
  }

  /** Runs pending migrations; concurrent starts on PostgreSQL wait for each other. */
  async migrate(): Promise<string[]> {
    if (this.kind === 'postgres') {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        const ran = await this.dataSource.runMigrations({ transaction: 'all' });
        return ran.map((migration) => migration.name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
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

  async isHealthy(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.sqliteChain;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
