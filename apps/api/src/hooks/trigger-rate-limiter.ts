import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { HOOKFLOW_CONFIG, LOGGER, createRedisClient, type HookflowConfig } from '@hookflow/common';

export interface RateLimit {
  requests: number;
  perSeconds: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Per-trigger rate limits. In queue mode the counters live in Redis, so every API process
 * shares them; embedded, in memory. If Redis cannot answer, deliveries are let through (and
 * logged): losing a webhook is worse than exceeding a limit for a moment.
 */
@Injectable()
export class TriggerRateLimiter implements OnModuleDestroy {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private redis?: Redis;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Spends one request of `limit` under `key` (a trigger, or a trigger and client address). */
  async consume(key: string, limit: RateLimit): Promise<RateVerdict> {
    try {
      await this.limiter(limit).consume(key);
      return { ok: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return {
          ok: false,
          retryAfterSeconds: Math.max(Math.ceil(rejection.msBeforeNext / 1000), 1),
        };
      }
      this.logger.warn(
        { err: rejection, key },
        'rate limiter unavailable; letting the delivery in',
      );
      return { ok: true };
    }
  }

  private limiter(limit: RateLimit): RateLimiterAbstract {
    const id = `${limit.requests}/${limit.perSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const options = { points: limit.requests, duration: limit.perSeconds, keyPrefix: `rl:${id}` };
      if (this.config.redisUrl) {
        this.redis ??= createRedisClient(this.config.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
        });
        limiter = new RateLimiterRedis({
          ...options,
          storeClient: this.redis,
          keyPrefix: `${this.config.queuePrefix}:rl:${id}`,
        });
      } else {
        limiter = new RateLimiterMemory(options);
      }
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
