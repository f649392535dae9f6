import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import { HOOKFLOW_CONFIG, LOGGER, createRedisClient, type HookflowConfig } from '@hookflow/common';

const WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins allowed per email, and per client address, in a window. */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/**
 * Slows password guessing: after too many failures for one email or from one address, sign-in
 * answers 429 until the window ends. On rate-limiter-flexible, like the trigger rate limits: in
 * queue mode the counters live in Redis, so every API process shares them; embedded, in memory.
 * If Redis cannot answer, sign-in is not blocked (and that is logged).
 */
@Injectable()
export class SignInLimiter implements OnModuleDestroy {
  private readonly redis?: Redis;
  private readonly byEmail: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(
    @Inject(HOOKFLOW_CONFIG) config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (config.redisUrl) {
      // Commands wait for the connection (a sign-in right after start is counted too), and
      // give up after one retry while Redis is away.
      this.redis = createRedisClient(config.redisUrl, { maxRetriesPerRequest: 1 });
    }
    const limiter = (name: string, points: number): RateLimiterAbstract => {
      const options = { points, duration: WINDOW_SECONDS };
      return this.redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: this.redis,
            keyPrefix: `${config.queuePrefix}:sign-in:${name}`,
          })
        : new RateLimiterMemory({ ...options, keyPrefix: `sign-in:${name}` });
    };
    this.byEmail = limiter('email', MAX_FAILURES_PER_EMAIL);
    this.byAddress = limiter('address', MAX_FAILURES_PER_ADDRESS);
  }

  /** Seconds to wait, or 0 when this email/address may try now. */
  async retryAfter(email: string, address: string): Promise<number> {
    const seen = await Promise.all([this.byEmail.get(email), this.byAddress.get(address)]).catch(
      (error: unknown) => this.unavailable(error, []),
    );
    const limits = [MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_ADDRESS];
    let wait = 0;
    seen.forEach((window: RateLimiterRes | null, index) => {
      if (window && window.consumedPoints >= limits[index]) {
        wait = Math.max(wait, Math.max(Math.ceil(window.msBeforeNext / 1000), 1));
      }
    });
    return wait;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([this.byEmail.penalty(email, 1), this.byAddress.penalty(address, 1)]).catch(
      (error: unknown) => this.unavailable(error, undefined),
    );
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email).catch((error: unknown) => this.unavailable(error, false));
  }

  private unavailable<T>(error: unknown, fallback: T): T {
    this.logger.warn({ err: error }, 'sign-in limiter unavailable; not blocking sign-in');
    return fallback;
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
