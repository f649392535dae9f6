import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  LOGGER,
  type DeliveryRejection,
  type HookflowConfig,
  UNKNOWN_TRIGGER,
} from '@hookflow/common';
import { EXECUTION_QUEUE, type ExecutionQueue } from '@hookflow/queue';

/** The queue depth is read at most this often; in between, acceptances are added to it. */
const DEPTH_SAMPLE_MS = 250;
/** How long a would-be refusal waits for a fresh depth read before going by the estimate. */
const DEPTH_READ_WAIT_MS = 250;
/** Refused because too many requests are being received: they finish in milliseconds. */
const BUSY_RETRY_AFTER_S = 1;
/** Refused because the backlog is full: it drains at the runners' pace. */
const BACKLOG_RETRY_AFTER_S = 5;
const REFUSAL_LOG_EVERY_MS = 1000;

export type GateVerdict =
  { ok: true; leave: () => void } | { ok: false; retryAfterSeconds: number; message: string };

/**
 * The bounded intake. A request is let in only while fewer than HOOKFLOW_INTAKE_CONCURRENCY are
 * being received and the queue holds fewer than HOOKFLOW_QUEUE_CEILING runs; otherwise it gets a
 * 503 with Retry-After before its body is read, and the provider retries later. Letting in costs
 * no I/O: the depth is sampled in the background, plus what this process accepted since. Only a
 * refusal for the backlog reads the depth first (one read shared by the requests waiting for it),
 * so that a sample taken before the queue drained cannot refuse a delivery.
 */
@Injectable()
export class IntakeGate {
  private inFlight = 0;
  private backlogSample = 0;
  private acceptedSinceSample = 0;
  private sampledAt = 0;
  /** The depth read in flight, if any. */
  private sampling: Promise<void> | undefined;
  private lastRefusalLog = 0;
  private refusedSinceLog = 0;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(HookflowMetrics) private readonly metrics: HookflowMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async enter(): Promise<GateVerdict> {
    const { intakeConcurrency, queueCeiling } = this.config;
    if (queueCeiling > 0) {
      this.refreshBacklog();
      if (this.backlog() >= queueCeiling && (await this.currentBacklog()) >= queueCeiling) {
        return this.refuse(BACKLOG_RETRY_AFTER_S, `more than ${queueCeiling} runs are queued`);
      }
    }
    // After any wait above, so that the count compared is the one incremented.
    if (intakeConcurrency > 0 && this.inFlight >= intakeConcurrency) {
      return this.refuse(
        BUSY_RETRY_AFTER_S,
        `more than ${intakeConcurrency} deliveries are being received at once`,
      );
    }
    this.inFlight += 1;
    this.metrics.intakeEntered();
    let left = false;
    return {
      ok: true,
      leave: () => {
        if (left) return;
        left = true;
        this.inFlight -= 1;
        this.metrics.intakeLeft();
      },
    };
  }

  /** An execution was queued by this process: counts against the ceiling until the next sample. */
  accepted(): void {
    this.acceptedSinceSample += 1;
  }

  /** Queued runs as far as this process knows: the last sample plus its own acceptances since. */
  backlog(): number {
    return this.backlogSample + this.acceptedSinceSample;
  }

  private refreshBacklog(): void {
    if (this.sampling || Date.now() - this.sampledAt < DEPTH_SAMPLE_MS) return;
    void this.sample();
  }

  /**
   * The backlog by a depth read made now (or in flight already): what a refusal rests on. A read
   * that does not answer soon (Redis down) leaves the estimate as it was.
   */
  private async currentBacklog(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DEPTH_READ_WAIT_MS);
      timer.unref();
    });
    await Promise.race([this.sampling ?? this.sample(), late]);
    clearTimeout(timer);
    return this.backlog();
  }

  private sample(): Promise<void> {
    const counted = this.acceptedSinceSample;
    this.sampling = this.queue
      .depth()
      .then((depth) => {
        this.backlogSample = depth.waiting + depth.active;
        // What was accepted while the sample was taken may not be in it yet: keep counting it.
        this.acceptedSinceSample = Math.max(this.acceptedSinceSample - counted, 0);
      })
      .catch(() => {
        // Queue unreachable (Redis down): deliveries are still persisted, keep the last sample.
      })
      .finally(() => {
        this.sampledAt = Date.now();
        this.sampling = undefined;
      });
    return this.sampling;
  }

  private refuse(retryAfterSeconds: number, message: string): GateVerdict {
    this.metrics.delivery(UNKNOWN_TRIGGER, { status: 'rejected', reason: 'overloaded' });
    this.refusedSinceLog += 1;
    const now = Date.now();
    // Under a flood, one line a second rather than one per refused request.
    if (now - this.lastRefusalLog >= REFUSAL_LOG_EVERY_MS) {
      this.logger.warn(
        { refused: this.refusedSinceLog, inFlight: this.inFlight, backlog: this.backlog() },
        `deliveries refused (503): ${message}`,
      );
      this.lastRefusalLog = now;
      this.refusedSinceLog = 0;
    }
    return { ok: false, retryAfterSeconds, message };
  }
}

const REJECTION_BY_STATUS: Record<number, DeliveryRejection> = {
  400: 'invalid_body',
  401: 'auth',
  403: 'ip',
  404: 'not_found',
  405: 'method',
  408: 'too_slow',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'overloaded',
};

/** The `reason` label of a refused delivery, from the status it was answered with. */
export function rejectionReason(status: number): DeliveryRejection {
  return REJECTION_BY_STATUS[status] ?? 'other';
}
