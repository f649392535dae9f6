import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { HookflowMetrics, LOGGER } from '@hookflow/common';
import { Database } from './database';
import { databaseUnavailableReason } from './database-unavailable';

/** While the database is down, it is probed this often to notice it is back. */
const RECOVERY_PROBE_MS = 1000;

/**
 * Turns database failures into one outage: the first failure is logged (and each one counted),
 * requests meanwhile answer 503, and a background probe logs the recovery. An operator reads two
 * lines per outage, not one per refused request.
 */
@Injectable()
export class DatabaseOutage implements OnApplicationShutdown {
  private downSince?: number;
  private downReason?: string;
  private refusedDuringOutage = 0;
  private probe?: NodeJS.Timeout;

  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HookflowMetrics) private readonly metrics: HookflowMetrics,
  ) {}

  /** True while an outage is being waited out. */
  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** Why the database is unavailable, while it is. */
  get reason(): string | undefined {
    return this.downReason;
  }

  /**
   * Records `error` when it means the database is unavailable and returns why; undefined when the
   * error is something else (the caller handles it as before).
   */
  observe(error: unknown): string | undefined {
    const reason = databaseUnavailableReason(error);
    if (reason === undefined) return undefined;
    this.metrics.databaseUnavailable();
    this.refusedDuringOutage += 1;
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.downReason = reason;
      this.logger.error(
        { err: error, database: this.database.kind },
        `database unavailable (${reason}): answering 503 until it is back`,
      );
      this.probe = setInterval(() => void this.checkRecovery(), RECOVERY_PROBE_MS);
      this.probe.unref();
    }
    return reason;
  }

  onApplicationShutdown(): void {
    clearInterval(this.probe);
  }

  private async checkRecovery(): Promise<void> {
    if (this.downSince === undefined || !(await this.database.canWrite())) return;
    const seconds = ((Date.now() - this.downSince) / 1000).toFixed(1);
    this.logger.warn(
      { database: this.database.kind, refused: this.refusedDuringOutage },
      `database is back after ${seconds} s; ${this.refusedDuringOutage} requests were answered 503`,
    );
    clearInterval(this.probe);
    this.probe = undefined;
    this.downSince = undefined;
    this.downReason = undefined;
    this.refusedDuringOutage = 0;
  }
}
