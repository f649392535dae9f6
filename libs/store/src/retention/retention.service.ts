import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, type HookflowConfig } from '@hookflow/common';
import { Database } from '../database';
import type { SqlValue } from '../raw-sql';
import { RetentionRepository, type DeliveryPage } from './retention.repository';
import {
  deliveriesReceivedBefore,
  emptyReport,
  pruneClasses,
  type PruneReport,
} from './retention-rules';

/** Any number from 1..2^31, other than the migration lock's; the same in every process. */
const PRUNE_LOCK_KEY = 804_291_118;
/** Free pages given back per step: 4 MiB at SQLite's default page size, a few ms of work. */
const VACUUM_PAGES_PER_STEP = 1024;

export interface PruneOptions {
  now?: Date;
  /** Called after every batch, while no transaction of the pass is open (tests use it). */
  afterBatch?: () => Promise<void>;
}

/**
 * Deletes old finished runs with their steps and deliveries, deliveries nothing refers to, and
 * dedup keys whose window closed; then (SQLite) gives the freed pages back to the file system.
 * It works in batches of HOOKFLOW_RETENTION_BATCH rows, one short transaction each, and lets
 * the event loop run between them, so the intake's writes never wait behind a long DELETE.
 * Every API and worker process runs it; on PostgreSQL an advisory lock lets one at a time work.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private current?: Promise<PruneReport>;
  private stopping = false;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Database) private readonly database: Database,
    @Inject(RetentionRepository) private readonly repository: RetentionRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.retention.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** One pass over every rule; a pass already under way is joined, not doubled. */
  pruneOnce(options: PruneOptions = {}): Promise<PruneReport> {
    if (!this.current) {
      const now = options.now ?? new Date();
      this.current = this.locked(() => this.pass(now, options.afterBatch)).finally(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  private async tick(): Promise<void> {
    if (this.current) return;
    const started = Date.now();
    try {
      const report = await this.pruneOnce();
      const removed = report.executions + report.deliveries + report.deliveryKeys;
      const fields = { ...report, ms: Date.now() - started };
      if (removed > 0) this.logger.info(fields, 'retention: pruned old runs and deliveries');
      else this.logger.debug(fields, 'retention: nothing to prune');
    } catch (error) {
      this.logger.warn({ err: error }, 'retention: pruning failed; will try again');
    }
  }

  private async locked(work: () => Promise<PruneReport>): Promise<PruneReport> {
    if (this.database.kind !== 'postgres') return work();
    const runner = this.database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        PRUNE_LOCK_KEY,
      ])) as Array<{ locked: boolean }>;
      if (!row?.locked) return { ...emptyReport(), ran: false };
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [PRUNE_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async pass(now: Date, afterBatch?: () => Promise<void>): Promise<PruneReport> {
    const report = emptyReport();
    const { batchSize, maxPerFlow } = this.config.retention;
    const turn = async (): Promise<void> => {
      // Queued intake transactions run before our next batch is queued behind them.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await afterBatch?.();
    };
    const drain = async (next: () => Promise<string[]>): Promise<void> => {
      while (!this.stopping) {
        const ids = await next();
        if (ids.length === 0) return;
        const removed = await this.repository.deleteExecutions(ids);
        report.executions += removed.executions;
        report.steps += removed.steps;
        report.deliveries += removed.deliveries;
        await turn();
        if (removed.executions === 0) return;
      }
    };
    const classes = pruneClasses(this.config.retention, now);
    for (const rule of classes) {
      await drain(() =>
        this.repository.expiredExecutions(rule.statuses, rule.finishedBefore, batchSize),
      );
    }
    const capped = classes.filter((rule) => rule.keepPerFlow > 0);
    if (capped.length > 0) {
      for (const flowId of await this.repository.flowIds()) {
        for (const rule of capped) {
          const boundary = await this.repository.keptBoundary(
            flowId,
            rule.statuses,
            rule.keepPerFlow,
          );
          if (boundary === undefined) continue;
          await drain(() =>
            this.repository.excessExecutions(flowId, rule.statuses, boundary, batchSize),
          );
        }
      }
    }
    const before = deliveriesReceivedBefore(this.config.retention, now);
    await this.drainDeliveries(report, turn, (after) =>
      this.repository.deliveryPage({ before, after, limit: batchSize }),
    );
    if (maxPerFlow > 0) {
      for (const hookId of await this.repository.hookIds()) {
        const boundary = await this.repository.deliveryBoundary(hookId, maxPerFlow);
        if (boundary === undefined) continue;
        await this.drainDeliveries(report, turn, (after) =>
          this.repository.deliveryPage({ before: now, boundary, hookId, after, limit: batchSize }),
        );
      }
    }
    while (!this.stopping) {
      const removed = await this.repository.deleteExpiredKeys(now, batchSize);
      report.deliveryKeys += removed;
      if (removed === 0) break;
      await turn();
    }
    if (this.database.kind === 'sqlite') report.reclaimedPages = await this.reclaim(turn);
    return report;
  }

  /** Walks deliveries oldest first, page by page, deleting the ones nothing refers to. */
  private async drainDeliveries(
    report: PruneReport,
    turn: () => Promise<void>,
    page: (after: SqlValue | undefined) => Promise<DeliveryPage>,
  ): Promise<void> {
    let after: SqlValue | undefined;
    do {
      const current = await page(after);
      if (current.deletable.length > 0) {
        report.deliveries += await this.repository.deleteDeliveries(current.deletable);
        await turn();
      }
      after = current.next;
    } while (after !== undefined && !this.stopping);
  }

  /** Gives the free pages back in small steps; the file shrinks at the WAL checkpoint. */
  private async reclaim(turn: () => Promise<void>): Promise<number> {
    let reclaimed = 0;
    let { freelistCount } = await this.repository.sqlitePages();
    if (freelistCount === 0) return 0;
    while (freelistCount > 0 && !this.stopping) {
      const pages = Math.min(freelistCount, VACUUM_PAGES_PER_STEP);
      await this.repository.incrementalVacuum(pages);
      reclaimed += pages;
      await turn();
      ({ freelistCount } = await this.repository.sqlitePages());
    }
    await this.repository.checkpoint();
    return reclaimed;
  }
}
