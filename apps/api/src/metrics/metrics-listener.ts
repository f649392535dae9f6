import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  LOGGER,
  metricsRoute,
  OpsListener,
  type HookflowConfig,
} from '@hookflow/common';

/**
 * HOOKFLOW_METRICS_PORT: /metrics without a token on a listener of its own, bound to
 * HOOKFLOW_METRICS_HOST (127.0.0.1 unless told otherwise), so only the network a scraper sits
 * on can read it and a webhook flood cannot starve the scrape.
 */
@Injectable()
export class MetricsListener extends OpsListener {
  constructor(
    @Inject(HOOKFLOW_CONFIG) config: HookflowConfig,
    @Inject(HookflowMetrics) metrics: HookflowMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(
      { '/metrics': metricsRoute(metrics) },
      config.metricsListener,
      logger,
      'metrics listener started',
    );
  }
}
