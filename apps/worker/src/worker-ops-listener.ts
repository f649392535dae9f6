import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  jsonAnswer,
  LOGGER,
  metricsRoute,
  OpsListener,
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
export class WorkerOpsListener extends OpsListener {
  constructor(
    @Inject(HOOKFLOW_CONFIG) config: HookflowConfig,
    @Inject(HookflowMetrics) metrics: HookflowMetrics,
    @Inject(HealthCheckService) health: HealthCheckService,
    @Inject(ReadinessChecks) readiness: ReadinessChecks,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(
      {
        '/health/live': async () => {
          const answer = readiness.live();
          return jsonAnswer(answer.status, answer.body);
        },
        '/health/ready': async () => {
          const answer = await readiness.answer(health, readiness.indicators());
          return jsonAnswer(answer.status, answer.body);
        },
        '/metrics': metricsRoute(metrics),
      },
      config.workerListener,
      logger,
      'worker health listener started',
    );
  }
}
