import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why a delivery was refused: the `reason` label of `hookflow_deliveries_total`. */
export type DeliveryRejection =
  | 'not_found'
  | 'method'
  | 'ip'
  | 'too_large'
  | 'invalid_body'
  | 'unsupported_media_type'
  | 'auth'
  | 'rate_limited'
  | 'too_slow'
  | 'overloaded'
  | 'other';

export type DeliveryOutcome =
  { status: 'accepted' | 'deduplicated' } | { status: 'rejected'; reason: DeliveryRejection };

export interface QueueDepthSample {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Outbound HTTP outcome: the status class of the answer, or `error` when none came. */
export type OutboundStatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'error';

/** Seconds; node runs range from a JSONata expression (sub-ms) to a slow HTTP call (30 s). */
const NODE_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Label value for a trigger no one may create series for (an unknown hook id from a scanner). */
export const UNKNOWN_TRIGGER = 'unknown';

export function statusClassOf(status: number): OutboundStatusClass {
  if (status >= 100 && status < 600) return `${Math.floor(status / 100)}xx` as OutboundStatusClass;
  return 'error';
}

/**
 * Hookflow's Prometheus metrics, one registry per application instance (never prom-client's
 * global one: tests boot several apps in one process, and each must count only its own work).
 * Recording is synchronous and allocation-light, so the hot paths call it freely.
 */
export class HookflowMetrics {
  readonly registry = new Registry();
  private readonly deliveries = new Counter({
    name: 'hookflow_deliveries_total',
    help: 'Webhook deliveries received, by trigger (hook id; "unknown" for unknown hooks), status (accepted, rejected, deduplicated) and rejection reason',
    labelNames: ['trigger', 'status', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly executions = new Counter({
    name: 'hookflow_executions_total',
    help: 'Executions that reached a final status, by flow id and status (succeeded, failed)',
    labelNames: ['flow', 'status'] as const,
    registers: [this.registry],
  });
  private readonly nodeDuration = new Histogram({
    name: 'hookflow_node_duration_seconds',
    help: 'Time one node run took, by node type and step status (succeeded, failed, retrying)',
    labelNames: ['node_type', 'status'] as const,
    buckets: NODE_DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly outboundHttp = new Counter({
    name: 'hookflow_outbound_http_requests_total',
    help: 'Outbound HTTP calls made by nodes, by status class (1xx-5xx, or error: blocked, timeout, too large, network)',
    labelNames: ['status_class'] as const,
    registers: [this.registry],
  });
  private readonly intakeInFlight = new Gauge({
    name: 'hookflow_intake_in_flight',
    help: 'Webhook requests being received by this process right now',
    registers: [this.registry],
  });
  private readonly databaseUnavailableCount = new Counter({
    name: 'hookflow_database_unavailable_total',
    help: 'Requests answered 503 because the database could not be reached or used (an outage)',
    registers: [this.registry],
  });
  private readonly queueDepth: Gauge<'state'>;
  private queueDepthSource?: () => Promise<QueueDepthSample>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const source = () => this.queueDepthSource;
    this.queueDepth = new Gauge({
      name: 'hookflow_queue_depth',
      help: 'Execution jobs in the queue by state (waiting, active, delayed, failed); sampled on scrape',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const read = source();
        if (!read) return;
        // A queue that cannot answer (Redis down) leaves the series out, rather than failing the
        // scrape or repeating the last depth as if it were current.
        const depth = await read().catch(() => undefined);
        if (!depth) {
          this.reset();
          return;
        }
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
          this.set({ state }, depth[state]);
        }
      },
    });
    // Event-loop lag, heap and resident memory, CPU, handles, GC: the standard names.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Where `hookflow_queue_depth` reads from at scrape time (the execution queue). */
  watchQueue(read: () => Promise<QueueDepthSample>): void {
    this.queueDepthSource = read;
  }

  delivery(trigger: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({
      trigger,
      status: outcome.status,
      reason: outcome.status === 'rejected' ? outcome.reason : '',
    });
  }

  executionFinished(flowId: string, status: 'succeeded' | 'failed'): void {
    this.executions.inc({ flow: flowId, status });
  }

  nodeRan(nodeType: string, status: string, seconds: number): void {
    this.nodeDuration.observe({ node_type: nodeType, status }, seconds);
  }

  outboundHttpAnswered(status: number): void {
    this.outboundHttp.inc({ status_class: statusClassOf(status) });
  }

  outboundHttpFailed(): void {
    this.outboundHttp.inc({ status_class: 'error' });
  }

  databaseUnavailable(): void {
    this.databaseUnavailableCount.inc();
  }

  intakeEntered(): void {
    this.intakeInFlight.inc();
  }

  intakeLeft(): void {
    this.intakeInFlight.dec();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for a scrape. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
