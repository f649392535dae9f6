import { isAbsolute, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { compileIpRules } from '@hookflow/webhooks';

/** Every case passes its own environment: process.env is never read or changed here. */

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('defaults (empty environment)', () => {
    const config = loadConfig({});

    it('listens on 0.0.0.0:3000', () => {
      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
    });

    it('uses SQLite at ./data/hookflow.db, resolved to an absolute path', () => {
      expect(config.database.kind).toBe('sqlite');
      if (config.database.kind !== 'sqlite') return;
      expect(isAbsolute(config.database.path)).toBe(true);
      expect(config.database.path).toBe(resolve('data', 'hookflow.db'));
    });

    it('derives the public URL from the port', () => {
      expect(config.publicUrl).toBe('http://localhost:3000');
      expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    });

    it('has the documented limits, log level and banner', () => {
      expect(config).toMatchObject({
        concurrency: 64,
        maxBodyBytes: 1_048_576,
        logLevel: 'info',
        expressionTimeoutMs: 1000,
        outboundAllowlist: [],
        banner: true,
      });
      expect(config.apiKey).toBeUndefined();
      expect(config.redisUrl).toBeUndefined();
    });

    it('treats empty strings as unset', () => {
      expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' })).toEqual(config);
    });
  });

  describe('database', () => {
    it.each(['postgres://user:pw@db:5432/hookflow', 'postgresql://db/hookflow'])(
      'uses PostgreSQL when DATABASE_URL is %s',
      (url) => {
        expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
          kind: 'postgres',
          url,
          statementTimeoutMs: 10_000,
        });
      },
    );

    it('resolves HOOKFLOW_SQLITE_PATH to an absolute path', () => {
      const config = loadConfig({ HOOKFLOW_SQLITE_PATH: 'var/flows.db' });
      expect(config.database).toEqual({
        kind: 'sqlite',
        path: resolve('var/flows.db'),
        synchronous: 'normal',
      });
    });

    it('prefers DATABASE_URL over HOOKFLOW_SQLITE_PATH', () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://db/x', HOOKFLOW_SQLITE_PATH: 'a.db' });
      expect(config.database.kind).toBe('postgres');
    });
  });

  describe('parsing', () => {
    it('reads numbers, the log level, the banner switch and the keys', () => {
      const config = loadConfig({
        PORT: '4000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://db/hookflow',
        REDIS_URL: 'redis://redis:6379',
        HOOKFLOW_WORKER_CONCURRENCY: '4',
        HOOKFLOW_LEASE_MS: '5000',
        HOOKFLOW_QUEUE_PREFIX: 'hf-test',
        HOOKFLOW_API_KEY: 'a'.repeat(16),
        HOOKFLOW_CONCURRENCY: '32',
        HOOKFLOW_MAX_BODY_BYTES: '2048',
        LOG_LEVEL: 'debug',
        HOOKFLOW_EXPRESSION_TIMEOUT_MS: '250',
        HOOKFLOW_BANNER: 'false',
      });
      expect(config).toMatchObject({
        port: 4000,
        host: '127.0.0.1',
        redisUrl: 'redis://redis:6379',
        workerConcurrency: 4,
        leaseMs: 5000,
        queuePrefix: 'hf-test',
        apiKey: 'a'.repeat(16),
        concurrency: 32,
        maxBodyBytes: 2048,
        logLevel: 'debug',
        expressionTimeoutMs: 250,
        banner: false,
      });
    });

    it('refuses queue mode (REDIS_URL) on SQLite with a message that says what to set', () => {
      expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
        /REDIS_URL.*needs PostgreSQL.*DATABASE_URL/,
      );
    });

    it('reads HOOKFLOW_OUTBOUND_ALLOW, the name the node library documents', () => {
      expect(
        loadConfig({ HOOKFLOW_OUTBOUND_ALLOW: '127.0.0.1/32,::1/128' }).outboundAllowlist,
      ).toEqual(['127.0.0.1/32', '::1/128']);
    });

    it('refuses allowlist entries that are not a host, IP or CIDR, naming the variable', () => {
      for (const bad of ['10.0.0.0/abc', '10.0.0.0/33', '::1/129', 'host name', 'a/b/c']) {
        expect(() => loadConfig({ HOOKFLOW_OUTBOUND_ALLOW: bad })).toThrow(
          /HOOKFLOW_OUTBOUND_ALLOW/,
        );
      }
    });

    it('refuses HOOKFLOW_TRUSTED_PROXIES=10.0.0.0/40 at start, naming the variable and the entry', () => {
      expect(configError({ HOOKFLOW_TRUSTED_PROXIES: '10.0.0.0/40' }).problems).toEqual([
        'HOOKFLOW_TRUSTED_PROXIES: "10.0.0.0/40" has a prefix length outside 0-32',
      ]);
    });

    it("accepts exactly the trusted proxies a trigger's IP rules can compile", () => {
      const entries = [
        '10.0.0.0/8',
        '::ffff:10.0.0.0/104',
        '2001:db8::/32',
        '192.0.2.7',
        'fd00::1',
      ];
      const value = entries.join(',');
      expect(loadConfig({ HOOKFLOW_TRUSTED_PROXIES: value }).trustedProxies).toEqual(entries);
      expect(compileIpRules({ allow: ['192.0.2.0/24'], trustedProxies: entries }).ok).toBe(true);
      for (const bad of [
        '::ffff:10.0.0.0/140',
        '10.0.0.0/8/1',
        'proxy.internal',
        '2001:db8::/129',
      ]) {
        expect(compileIpRules({ trustedProxies: [bad] }).ok).toBe(false);
        expect(() => loadConfig({ HOOKFLOW_TRUSTED_PROXIES: bad })).toThrow(
          /HOOKFLOW_TRUSTED_PROXIES/,
        );
      }
    });

    it('never echoes the value of a secret-bearing variable in its error', () => {
      const attempt = () => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
      expect(attempt).toThrow(/DATABASE_URL/);
      expect(attempt).not.toThrow(/hunter2/);
    });

    it('keeps :memory: as is for an in-memory SQLite database', () => {
      expect(loadConfig({ HOOKFLOW_SQLITE_PATH: ':memory:' }).database).toEqual({
        kind: 'sqlite',
        path: ':memory:',
        synchronous: 'normal',
      });
    });

    it('takes SQLite synchronous = full, and refuses anything but normal or full', () => {
      expect(loadConfig({ HOOKFLOW_SQLITE_SYNCHRONOUS: 'full' }).database).toMatchObject({
        synchronous: 'full',
      });
      expect(() => loadConfig({ HOOKFLOW_SQLITE_SYNCHRONOUS: 'off' })).toThrow(
        /HOOKFLOW_SQLITE_SYNCHRONOUS/,
      );
    });

    it('splits HOOKFLOW_OUTBOUND_ALLOWLIST on commas, trimming blanks and empty entries', () => {
      const config = loadConfig({
        HOOKFLOW_OUTBOUND_ALLOWLIST: ' 127.0.0.1, 10.0.0.0/8 ,,localhost, ',
      });
      expect(config.outboundAllowlist).toEqual(['127.0.0.1', '10.0.0.0/8', 'localhost']);
    });

    it.each([
      ['https://hooks.example.com/', 'https://hooks.example.com'],
      ['https://hooks.example.com/base///', 'https://hooks.example.com/base'],
      ['http://localhost:3000', 'http://localhost:3000'],
    ])('trims trailing slashes from HOOKFLOW_PUBLIC_URL %s', (value, expected) => {
      expect(loadConfig({ HOOKFLOW_PUBLIC_URL: value }).publicUrl).toBe(expected);
    });
  });

  describe('invalid values throw a ConfigError naming the variable', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '3000.5'],
      ['DATABASE_URL', 'mysql://db/hookflow'],
      ['REDIS_URL', 'http://redis:6379'],
      ['HOOKFLOW_API_KEY', 'too-short'],
      ['LOG_LEVEL', 'loud'],
      ['HOOKFLOW_CONCURRENCY', '0'],
      ['HOOKFLOW_CONCURRENCY', 'many'],
      ['HOOKFLOW_MAX_BODY_BYTES', '10'],
      ['HOOKFLOW_EXPRESSION_TIMEOUT_MS', '5'],
      ['HOOKFLOW_PUBLIC_URL', 'ftp://x'],
      ['HOOKFLOW_BANNER', 'maybe'],
    ])('%s=%s', (name, value) => {
      const error = configError({ [name]: value });
      expect(error.name).toBe('ConfigError');
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].startsWith(`${name}=`)).toBe(true);
      expect(error.message).toContain(name);
    });

    it('says why HOOKFLOW_API_KEY was refused', () => {
      expect(configError({ HOOKFLOW_API_KEY: 'short' }).message).toContain(
        'at least 16 characters',
      );
    });

    it('reports every bad variable at once', () => {
      const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', HOOKFLOW_CONCURRENCY: '0' });
      const names = error.problems.map((problem) => problem.split('=')[0]).sort();
      expect(names).toEqual(['HOOKFLOW_CONCURRENCY', 'LOG_LEVEL', 'PORT']);
    });

    it('reports every problem at once across all checks, not only the first failing stage', () => {
      const error = configError({
        PORT: 'abc',
        HOOKFLOW_OUTBOUND_ALLOW: '10.0.0.0/33',
        REDIS_URL: 'redis://127.0.0.1:6379',
        HOOKFLOW_TRUSTED_PROXIES: '10.0.0.0/40',
        HOOKFLOW_ENCRYPTION_KEY: 'short',
        HOOKFLOW_RETENTION_MAX_AGE: '0s',
      });
      const names = error.problems.map((problem) => /^[A-Z_]+/.exec(problem)?.[0]).sort();
      expect(names).toEqual([
        'HOOKFLOW_ENCRYPTION_KEY',
        'HOOKFLOW_OUTBOUND_ALLOW',
        'HOOKFLOW_RETENTION_MAX_AGE',
        'HOOKFLOW_TRUSTED_PROXIES',
        'PORT',
        'REDIS_URL',
      ]);
    });

    it('ignores variables it does not know', () => {
      expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
    });
  });
});
