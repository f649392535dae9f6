import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  LOGGER,
  OpsServer,
  type HookflowConfig,
} from '@hookflow/common';

/**
 * HOOKFLOW_METRICS_PORT: /metrics without a token on a listener of its own, bound to
 * HOOKFLOW_METRICS_HOST (127.0.0.1 unless told otherwise), so only the network a scraper sits
 * on can read it and a webhook flood cannot starve the scrape.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: OpsServer;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(HookflowMetrics) metrics: HookflowMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.server = new OpsServer({
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
    const listener = this.config.metricsListener;
    if (!listener) return;
    await this.server.listen(listener.port, listener.host);
    this.logger.info({ host: listener.host, port: this.port }, 'metrics listener started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
