import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { DURATION_PATTERN, parseDuration } from '@hookflow/engine';
import { looksLikeIpRange, parseIpRange } from '@hookflow/webhooks';
import { resolve } from 'node:path';
import { encryptionVariableProblems } from './crypto/encryption-config';

export const HOOKFLOW_CONFIG = Symbol('HOOKFLOW_CONFIG');

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string; synchronous?: 'normal' | 'full' }
  | { kind: 'postgres'; url: string; statementTimeoutMs?: number };

/** How long finished runs and their deliveries are kept (HOOKFLOW_RETENTION_*). */
export interface RetentionConfig {
  /** Succeeded and cancelled runs (and deliveries nothing refers to) older than this go. */
  maxAgeMs: number;
  /** Failed runs older than this go; never less than `maxAgeMs`. */
  failedMaxAgeMs: number;
  /** Per flow, at most this many succeeded/cancelled runs and as many failed runs; 0: no cap. */
  maxPerFlow: number;
  /** How often the pruner runs. */
  intervalMs: number;
  /** Rows deleted per transaction: small, so the intake's writes get their turn in between. */
  batchSize: number;
}

/** Everything Hookflow reads from its environment, validated once at start. */
export interface HookflowConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl?: string;
  /** Seeds an API key on start (stored hashed). */
  apiKey?: string;
  /**
   * HOOKFLOW_ENCRYPTION_KEY as given (32 bytes, hex or base64; checked here): encrypts credentials.
   * Unset: embedded mode generates `<data dir>/encryption.key`; PostgreSQL refuses to start.
   */
  encryptionKey?: string;
  /** HOOKFLOW_ENCRYPTION_KEYS_OLD entries (`[keyId:]key`): keys that only decrypt, after a rotation. */
  encryptionKeysOld?: string[];
  /** Base URL users paste into other services; defaults to http://localhost:<port>. */
  publicUrl: string;
  /** Executions run at once by the embedded runner. */
  concurrency: number;
  maxBodyBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  expressionTimeoutMs: number;
  /** Largest node output (JSON characters), and longest string one expression step may build. */
  maxOutputBytes: number;
  /**
   * Hosts, IPs and CIDRs that outbound HTTP may reach although they are private or loopback.
   * Empty by default: the SSRF guard blocks every private address.
   */
  outboundAllowlist: string[];
  /** Print the startup banner (URLs, generated key) on stdout. */
  banner: boolean;
  /** Executions run at once by one worker process (queue mode). */
  workerConcurrency: number;
  /** How long a runner holds an execution without renewing; a dead runner's runs wait this long. */
  leaseMs: number;
  /** Redis key prefix of the Bull queues (lets several installations share a Redis). */
  queuePrefix: string;
  /** Queue mode: how often workers look for runs whose queue job was lost. */
  reconcileIntervalMs: number;
  /** Queue mode: a run untouched this long with no live job is re-enqueued. */
  reconcileStaleMs: number;
  /** Proxies whose X-Forwarded-For is believed when checking a trigger's IP allowlist. */
  trustedProxies: string[];
  /** How often schedulers re-read which flows run on a schedule (HOOKFLOW_SCHEDULE_SYNC_MS). */
  scheduleSyncMs: number;
  /** Pruning of old executions, deliveries and expired dedup keys (HOOKFLOW_RETENTION_*). */
  retention: RetentionConfig;
  /** HOOKFLOW_METRICS_TOKEN: bearer token for /metrics on the main port; unset: 404 there. */
  metricsToken?: string;
  /** HOOKFLOW_METRICS_PORT/HOST: a separate listener serving /metrics without a token. */
  metricsListener?: { port: number; host: string };
  /** HOOKFLOW_WORKER_PORT/HOST: a worker's /health/live, /health/ready and /metrics; unset: none. */
  workerListener?: { port: number; host: string };
  /** HOOKFLOW_INTAKE_CONCURRENCY: webhook requests received at once per process; 0 = no limit. */
  intakeConcurrency: number;
  /** HOOKFLOW_QUEUE_CEILING: queued (waiting + active) executions above which intake answers 503. */
  queueCeiling: number;
  /** HOOKFLOW_BACKLOG_IN_MEMORY: embedded, queued background ids held in memory; past it, on disk. */
  backlogInMemory: number;
  /** HOOKFLOW_INTAKE_PER_CLIENT: webhook requests received at once from one client; 0 = no limit. */
  intakePerClient: number;
  /** HOOKFLOW_HEADERS_TIMEOUT_MS: a request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** HOOKFLOW_BODY_TIMEOUT_MS: a webhook's whole body must arrive within this. */
  bodyTimeoutMs: number;
  /** HOOKFLOW_BODY_MIN_RATE: bytes per second a webhook body must average after its first 2 s. */
  bodyMinBytesPerSecond: number;
  /**
   * HOOKFLOW_HEAP_GROWTH_PERCENT: how far V8's heap may grow past what survived the last full
   * collection before the next one (V8's --heap-growing-percent); 0 leaves V8's own choice.
   */
  heapGrowthPercent: number;
}

/**
 * V8 lets the heap grow to up to 4x what survived the last full collection; under load nearly all
 * of that is short-lived garbage promoted from the young generation (a heap snapshot during W1 at
 * c=64 holds 49 MiB, the heap reached 230 MiB). 60 % keeps the peak near 200 MiB RSS at the same
 * throughput (docs/operations.md, "Memory").
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 60;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

// Retention durations are at least 1 s (checked in retentionConfig): no sub-second example here.
const DURATION_MESSAGE = '$property must be a duration of at least 1s, like 14d, 36h, 1h30m or 30s';

/** The environment variables, one property each; class-validator names the bad one. */
export class Environment {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @IsString() @MinLength(1) HOOKFLOW_SQLITE_PATH?: string;
  @IsOptional() @IsIn(['normal', 'full']) HOOKFLOW_SQLITE_SYNCHRONOUS?: 'normal' | 'full';
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'HOOKFLOW_API_KEY must be at least 16 characters' })
  HOOKFLOW_API_KEY?: string;
  @IsOptional() @IsString() HOOKFLOW_ENCRYPTION_KEY?: string;
  @IsOptional() @IsString() HOOKFLOW_ENCRYPTION_KEYS_OLD?: string;
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'HOOKFLOW_PUBLIC_URL must be an http(s) URL' })
  HOOKFLOW_PUBLIC_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) HOOKFLOW_CONCURRENCY?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(104_857_600)
  HOOKFLOW_MAX_BODY_BYTES?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: HookflowConfig['logLevel'];
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  HOOKFLOW_EXPRESSION_TIMEOUT_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1_073_741_824)
  HOOKFLOW_MAX_OUTPUT_BYTES?: number;
  @IsOptional() @IsString() HOOKFLOW_OUTBOUND_ALLOW?: string;
  /** Older name of HOOKFLOW_OUTBOUND_ALLOW, still read. */
  @IsOptional() @IsString() HOOKFLOW_OUTBOUND_ALLOWLIST?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() HOOKFLOW_BANNER?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) HOOKFLOW_WORKER_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(200) @Max(3_600_000) HOOKFLOW_LEASE_MS?: number;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,64}$/, {
    message: 'HOOKFLOW_QUEUE_PREFIX must be 1-64 of A-Z a-z 0-9 _ : -',
  })
  HOOKFLOW_QUEUE_PREFIX?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  HOOKFLOW_RECONCILE_INTERVAL_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  HOOKFLOW_RECONCILE_STALE_MS?: number;
  @IsOptional() @IsString() HOOKFLOW_TRUSTED_PROXIES?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  HOOKFLOW_SCHEDULE_SYNC_MS?: number;
  @IsOptional()
  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  HOOKFLOW_RETENTION_MAX_AGE?: string;
  @IsOptional()
  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  HOOKFLOW_RETENTION_FAILED_MAX_AGE?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  HOOKFLOW_RETENTION_MAX_PER_FLOW?: number;
  @IsOptional()
  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  HOOKFLOW_RETENTION_INTERVAL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(10_000) HOOKFLOW_RETENTION_BATCH?: number;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'HOOKFLOW_METRICS_TOKEN must be at least 16 characters' })
  HOOKFLOW_METRICS_TOKEN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) HOOKFLOW_METRICS_PORT?: number;
  @IsOptional() @IsString() HOOKFLOW_METRICS_HOST?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) HOOKFLOW_WORKER_PORT?: number;
  @IsOptional() @IsString() HOOKFLOW_WORKER_HOST?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  HOOKFLOW_INTAKE_CONCURRENCY?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  HOOKFLOW_QUEUE_CEILING?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  HOOKFLOW_BACKLOG_IN_MEMORY?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  HOOKFLOW_INTAKE_PER_CLIENT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  HOOKFLOW_HEADERS_TIMEOUT_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HOOKFLOW_BODY_TIMEOUT_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_073_741_824)
  HOOKFLOW_BODY_MIN_RATE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000) HOOKFLOW_HEAP_GROWTH_PERCENT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  HOOKFLOW_DB_STATEMENT_TIMEOUT_MS?: number;
}

const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'HOOKFLOW_API_KEY',
  'HOOKFLOW_ENCRYPTION_KEY',
  'HOOKFLOW_ENCRYPTION_KEYS_OLD',
  'HOOKFLOW_METRICS_TOKEN',
]);

/** A comma-separated list variable: entries trimmed, empty ones dropped. */
function listVariable(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i;

/**
 * Why an entry of an address list is refused, read with the parser the triggers and the
 * outbound guard use, so a value accepted here cannot fail later on a delivery.
 */
function addressEntryProblem(entry: string, hostnamesAllowed: boolean): string | undefined {
  if (hostnamesAllowed && !looksLikeIpRange(entry)) {
    return HOSTNAME.test(entry) ? undefined : `"${entry}" is not a hostname, IP or CIDR range`;
  }
  const parsed = parseIpRange(entry);
  return parsed.ok ? undefined : parsed.problem;
}

function addressListProblems(
  name: string,
  entries: readonly string[],
  hostnamesAllowed: boolean,
): string[] {
  return entries.flatMap((entry) => {
    const problem = addressEntryProblem(entry, hostnamesAllowed);
    return problem ? [`${name}: ${problem}`] : [];
  });
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HookflowConfig {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(Environment, raw);
  // Every stage adds to one list, so an operator sees every problem in one start attempt.
  const invalid = validateSync(parsed, { forbidUnknownValues: false });
  const problems = invalid.map((error) => {
    const messages = Object.values(error.constraints ?? {}).join('; ');
    // URLs and keys may carry passwords: name the variable, never echo its value.
    const shown = SECRET_VARIABLES.has(error.property)
      ? '(value hidden)'
      : JSON.stringify(error.value);
    return `${error.property}=${shown}: ${messages}`;
  });
  const outboundAllowlist = listVariable(
    parsed.HOOKFLOW_OUTBOUND_ALLOW ?? parsed.HOOKFLOW_OUTBOUND_ALLOWLIST,
  );
  problems.push(...addressListProblems('HOOKFLOW_OUTBOUND_ALLOW', outboundAllowlist, true));
  // A REDIS_URL already refused above is one problem, not also a queue mode on SQLite.
  const redisUrlValid = !invalid.some((error) => error.property === 'REDIS_URL');
  if (parsed.REDIS_URL && redisUrlValid && !parsed.DATABASE_URL) {
    problems.push(
      'REDIS_URL is set (queue mode) but DATABASE_URL is not: queue mode needs PostgreSQL, ' +
        'because API and worker processes share the database. Set DATABASE_URL=postgres://... ' +
        'or unset REDIS_URL for the embedded mode with SQLite.',
    );
  }
  const trustedProxies = listVariable(parsed.HOOKFLOW_TRUSTED_PROXIES);
  problems.push(...addressListProblems('HOOKFLOW_TRUSTED_PROXIES', trustedProxies, false));
  problems.push(
    ...encryptionVariableProblems({
      key: parsed.HOOKFLOW_ENCRYPTION_KEY,
      old: parsed.HOOKFLOW_ENCRYPTION_KEYS_OLD,
    }),
  );
  const retention = retentionConfig(parsed, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const sqlitePath = parsed.HOOKFLOW_SQLITE_PATH ?? './data/hookflow.db';
  const port = parsed.PORT ?? 3000;
  return {
    port,
    host: parsed.HOST ?? '0.0.0.0',
    database: parsed.DATABASE_URL
      ? {
          kind: 'postgres',
          url: parsed.DATABASE_URL,
          statementTimeoutMs: parsed.HOOKFLOW_DB_STATEMENT_TIMEOUT_MS ?? 10_000,
        }
      : {
          kind: 'sqlite',
          path: sqlitePath === ':memory:' ? sqlitePath : resolve(sqlitePath),
          synchronous: parsed.HOOKFLOW_SQLITE_SYNCHRONOUS ?? 'normal',
        },
    redisUrl: parsed.REDIS_URL,
    apiKey: parsed.HOOKFLOW_API_KEY,
    encryptionKey: parsed.HOOKFLOW_ENCRYPTION_KEY?.trim(),
    encryptionKeysOld: listVariable(parsed.HOOKFLOW_ENCRYPTION_KEYS_OLD),
    publicUrl: (parsed.HOOKFLOW_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    concurrency: parsed.HOOKFLOW_CONCURRENCY ?? 64,
    maxBodyBytes: parsed.HOOKFLOW_MAX_BODY_BYTES ?? 1_048_576,
    logLevel: parsed.LOG_LEVEL ?? 'info',
    expressionTimeoutMs: parsed.HOOKFLOW_EXPRESSION_TIMEOUT_MS ?? 1000,
    maxOutputBytes: parsed.HOOKFLOW_MAX_OUTPUT_BYTES ?? 16_777_216,
    outboundAllowlist,
    banner: parsed.HOOKFLOW_BANNER ?? true,
    workerConcurrency: parsed.HOOKFLOW_WORKER_CONCURRENCY ?? 32,
    leaseMs: parsed.HOOKFLOW_LEASE_MS ?? 30_000,
    queuePrefix: parsed.HOOKFLOW_QUEUE_PREFIX ?? 'hookflow',
    reconcileIntervalMs: parsed.HOOKFLOW_RECONCILE_INTERVAL_MS ?? 5_000,
    reconcileStaleMs: parsed.HOOKFLOW_RECONCILE_STALE_MS ?? 15_000,
    trustedProxies,
    scheduleSyncMs: parsed.HOOKFLOW_SCHEDULE_SYNC_MS ?? 5_000,
    retention,
    metricsToken: parsed.HOOKFLOW_METRICS_TOKEN,
    ...(parsed.HOOKFLOW_METRICS_PORT !== undefined
      ? {
          metricsListener: {
            port: parsed.HOOKFLOW_METRICS_PORT,
            host: parsed.HOOKFLOW_METRICS_HOST ?? '127.0.0.1',
          },
        }
      : {}),
    ...(parsed.HOOKFLOW_WORKER_PORT !== undefined
      ? {
          workerListener: {
            port: parsed.HOOKFLOW_WORKER_PORT,
            host: parsed.HOOKFLOW_WORKER_HOST ?? '127.0.0.1',
          },
        }
      : {}),
    intakeConcurrency: parsed.HOOKFLOW_INTAKE_CONCURRENCY ?? 256,
    queueCeiling: parsed.HOOKFLOW_QUEUE_CEILING ?? 100_000,
    backlogInMemory: parsed.HOOKFLOW_BACKLOG_IN_MEMORY ?? 10_000,
    intakePerClient: parsed.HOOKFLOW_INTAKE_PER_CLIENT ?? 128,
    headersTimeoutMs: parsed.HOOKFLOW_HEADERS_TIMEOUT_MS ?? 10_000,
    bodyTimeoutMs: parsed.HOOKFLOW_BODY_TIMEOUT_MS ?? 10_000,
    bodyMinBytesPerSecond: parsed.HOOKFLOW_BODY_MIN_RATE ?? 500,
    heapGrowthPercent: parsed.HOOKFLOW_HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT,
  };
}

const MIN_RETENTION_MS = 1_000;

/** The HOOKFLOW_RETENTION_* variables; durations are checked here, where their meaning is known; problems go to the caller's list. */
function retentionConfig(parsed: Environment, problems: string[]): RetentionConfig {
  const duration = (
    name:
      | 'HOOKFLOW_RETENTION_MAX_AGE'
      | 'HOOKFLOW_RETENTION_FAILED_MAX_AGE'
      | 'HOOKFLOW_RETENTION_INTERVAL',
    fallback: string,
  ): number => {
    const text = parsed[name] ?? fallback;
    const ms = parseDuration(text) ?? Number.NaN;
    if (!(ms >= MIN_RETENTION_MS)) problems.push(`${name}=${JSON.stringify(text)}: at least 1s`);
    return ms;
  };
  const maxAgeMs = duration('HOOKFLOW_RETENTION_MAX_AGE', '14d');
  const failedMaxAgeMs = duration('HOOKFLOW_RETENTION_FAILED_MAX_AGE', '30d');
  const intervalMs = duration('HOOKFLOW_RETENTION_INTERVAL', '5m');
  return {
    maxAgeMs,
    // Failed runs are kept longer, never shorter: a short failed age alone would invert that.
    failedMaxAgeMs: Math.max(failedMaxAgeMs, maxAgeMs),
    maxPerFlow: parsed.HOOKFLOW_RETENTION_MAX_PER_FLOW ?? 10_000,
    intervalMs,
    batchSize: parsed.HOOKFLOW_RETENTION_BATCH ?? 500,
  };
}
