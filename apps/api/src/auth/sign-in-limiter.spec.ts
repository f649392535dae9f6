import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import pino from 'pino';
import { loadConfig } from '@hookflow/common';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL, SignInLimiter } from './sign-in-limiter';

const silent = pino({ level: 'silent' });
const REDIS_URL = process.env.HOOKFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('sign-in limiter, embedded (in memory)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());
  const limiter = () => new SignInLimiter(loadConfig({}), silent);

  it('blocks an email after its failures until the window ends; success resets it', async () => {
    const signIn = limiter();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i += 1) {
      expect(await signIn.retryAfter('a@x', '1.1.1.1')).toBe(0);
      await signIn.recordFailure('a@x', '1.1.1.1');
    }
    jest.advanceTimersByTime(1000);
    expect(await signIn.retryAfter('a@x', '2.2.2.2')).toBe(15 * 60 - 1);
    expect(await signIn.retryAfter('b@x', '1.1.1.1')).toBe(0);
    jest.advanceTimersByTime(15 * 60_000);
    expect(await signIn.retryAfter('a@x', '1.1.1.1')).toBe(0);

    await signIn.recordFailure('c@x', '3.3.3.3');
    await signIn.recordSuccess('c@x');
    expect(await signIn.retryAfter('c@x', '9.9.9.9')).toBe(0);
  });

  it('blocks an address that guesses across many emails', async () => {
    const signIn = limiter();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) {
      await signIn.recordFailure(`user${i}@x`, '4.4.4.4');
    }
    expect(await signIn.retryAfter('fresh@x', '4.4.4.4')).toBeGreaterThan(0);
    expect(await signIn.retryAfter('fresh@x', '5.5.5.5')).toBe(0);
  });
});

describe('sign-in limiter, queue mode (Redis)', () => {
  const prefix = `hf-sign-in-${randomBytes(4).toString('hex')}`;
  const config = { ...loadConfig({}), redisUrl: REDIS_URL, queuePrefix: prefix };
  const limiters: SignInLimiter[] = [];
  afterAll(async () => {
    for (const limiter of limiters) limiter.onModuleDestroy();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('shares the failures across API processes: guesses spread over two are counted together', async () => {
    const first = new SignInLimiter(config, silent);
    const second = new SignInLimiter(config, silent);
    limiters.push(first, second);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i += 1) {
      await (i % 2 === 0 ? first : second).recordFailure('shared@x', '6.6.6.6');
    }
    expect(await first.retryAfter('shared@x', '7.7.7.7')).toBeGreaterThan(0);
    expect(await second.retryAfter('shared@x', '7.7.7.7')).toBeGreaterThan(0);
    await second.recordSuccess('shared@x');
    expect(await first.retryAfter('shared@x', '7.7.7.7')).toBe(0);
  });
});
