import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';

/**
 * A new ioredis client. ioredis (about 6 MiB resident once loaded) is required on the first call,
 * not at import: the embedded process, which never talks to Redis, does not carry it.
 */
export function createRedisClient(url: string, options: RedisOptions): Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
  return new RedisClient(url, options);
}
