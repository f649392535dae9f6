import { Inject, Injectable, Optional, ServiceUnavailableException } from '@nestjs/common';
import type {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
} from '@nestjs/terminus';
import { Database, DatabaseOutage } from '@hookflow/store';
import { EXECUTION_QUEUE, queueTraits, type ExecutionQueue } from '../execution-queue';

/** A dependency that does not answer within this long counts as down (a probe must not hang). */
const CHECK_TIMEOUT_MS = 2000;

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a health endpoint answers: terminus' result, with 503 when anything is down. */
export interface HealthAnswer {
  status: 200 | 503;
  body: HealthCheckResult;
}

/**
 * Readiness of a process that accepts or runs executions, as terminus indicators: the database
 * answers, every migration this build knows is applied, Redis answers (queue mode) and the queue
 * can be read. The API and the worker expose the same checks.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Optional() @Inject(DatabaseOutage) private readonly outage?: DatabaseOutage,
  ) {}

  indicators(): HealthIndicatorFunction[] {
    return [
      () => this.databaseCheck(),
      () => this.migrationsCheck(),
      ...(queueTraits(this.queue.kind).durable ? [() => this.redisCheck()] : []),
      () => this.queueCheck(),
    ];
  }

  /**
   * Liveness: 200 whenever the process answers, also while it shuts down (terminus answers 503
   * then, and an orchestrator would kill a process that is still draining its runs).
   */
  live(): HealthAnswer {
    return { status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } };
  }

  /** Runs the checks; terminus' 503 (something down, or shutting down) becomes an answer. */
  async answer(
    health: HealthCheckService,
    indicators: HealthIndicatorFunction[],
  ): Promise<HealthAnswer> {
    try {
      return { status: 200, body: await health.check(indicators) };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return { status: 503, body: error.getResponse() as HealthCheckResult };
    }
  }

  private async databaseCheck(): Promise<HealthIndicatorResult> {
    const kind = this.database.kind;
    // A known outage (a full SQLite file reads fine but takes no writes): down until it is over.
    const outage = this.outage?.reason;
    if (outage !== undefined) return { database: { status: 'down', kind, message: outage } };
    const up = await within(this.database.isHealthy(), 'the database').catch(() => false);
    return { database: { status: up ? 'up' : 'down', kind } };
  }

  private async migrationsCheck(): Promise<HealthIndicatorResult> {
    const known = this.database.dataSource.migrations.map(
      (migration) => migration.name ?? migration.constructor.name,
    );
    try {
      const rows: Array<{ name: string }> = await within(
        this.database.dataSource.query('SELECT name FROM migrations'),
        'the migrations table',
      );
      const applied = new Set(rows.map((row) => row.name));
      const pending = known.filter((name) => !applied.has(name));
      return {
        migrations: {
          status: pending.length === 0 ? 'up' : 'down',
          applied: applied.size,
          pending,
        },
      };
    } catch (error) {
      return { migrations: { status: 'down', message: messageOf(error) } };
    }
  }

  private async redisCheck(): Promise<HealthIndicatorResult> {
    const up = await within(this.queue.isHealthy(), 'Redis').catch(() => false);
    return { redis: { status: up ? 'up' : 'down' } };
  }

  private async queueCheck(): Promise<HealthIndicatorResult> {
    try {
      const depth = await within(this.queue.depth(), 'the queue');
      return { queue: { status: 'up', kind: this.queue.kind, ...depth } };
    } catch (error) {
      return { queue: { status: 'down', kind: this.queue.kind, message: messageOf(error) } };
    }
  }
}
