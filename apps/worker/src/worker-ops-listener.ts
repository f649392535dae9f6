import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  jsonAnswer,
  LOGGER,
  OpsServer,
  type HookflowConfig,
} from '@hookflow/common';
import { ReadinessChecks } from '@hookflow/queue';

/**
 * A worker has no HTTP API; with HOOKFLOW_WORKER_PORT it answers /health/live, /health/ready
 * (the API's checks: database, migrations, Redis, queue) and /metrics on that port, bound to
 * HOOKFLOW_WORKER_HOST (127.0.0.1 unless told otherwise). Off by default: several workers may
 * share a machine, and a fixed default port would make the second one fail to start.
 */
@Injectable()
export class WorkerOpsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: OpsServer;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(HookflowMetrics) metrics: HookflowMetrics,
    @Inject(HealthCheckService) health: HealthCheckService,
    @Inject(ReadinessChecks) readiness: ReadinessChecks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.server = new OpsServer({
      '/health/live': async () => {
        const answer = await readiness.answer(health, []);
        return jsonAnswer(answer.status, answer.body);
      },
      '/health/ready': async () => {
        const answer = await readiness.answer(health, readiness.indicators());
        return jsonAnswer(answer.status, answer.body);
      },
      '/metrics': async () => ({
        status: 200,
        contentType: metrics.contentType,
        body: await metrics.scrape(),
      }),
    });
  }

  /** The bound port, when the listener is on (tests ask for port 0). */
  get port(): number | undefined {
    return this.server.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const listener = this.config.workerListener;
    if (!listener) return;
    await this.server.listen(listener.port, listener.host);
    this.logger.info({ host: listener.host, port: this.port }, 'worker health listener started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
