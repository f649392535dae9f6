import { getMetadataStorage } from 'class-validator';
import { Environment, loadConfig, type HookflowConfig } from './config';

/** What a person needs to know about one variable that its validation rules do not say. */
export interface VariableDoc {
  description: string;
  /** The default as text, when it is not a plain HookflowConfig value (see `field`). */
  default?: string;
  /** The config field whose value with the variable unset is its default. */
  field?: keyof HookflowConfig;
}

/**
 * One line per environment variable of `Environment` (config.ts). docs/deploy.md is generated
 * from the validation rules there plus these lines (`npm run docs`); a test fails when a
 * variable has no line here or the page is stale.
 */
export const VARIABLE_DOCS: Readonly<Record<string, VariableDoc>> = {
  PORT: { description: 'HTTP port of the server.', field: 'port' },
  HOST: { description: 'Address the server binds to.', field: 'host' },
  DATABASE_URL: {
    description: 'PostgreSQL connection URL. Unset: SQLite (embedded mode only).',
  },
  HOOKFLOW_SQLITE_PATH: {
    description: 'SQLite file when DATABASE_URL is unset (`:memory:` for a throwaway database).',
    default: '`./data/hookflow.db`',
  },
  HOOKFLOW_SQLITE_SYNCHRONOUS: {
    description:
      "SQLite's `synchronous` setting. `normal`: a commit survives a crash of the process (the " +
      'WAL is synced at checkpoints), not a power cut; `full`: every commit is synced to disk ' +
      'before it is answered. See docs/operations.md.',
    default: '`normal`',
  },
  REDIS_URL: {
    description:
      'Redis URL. Set: queue mode (the server only accepts; workers run executions and fire ' +
      'schedules); needs DATABASE_URL. Unset: embedded mode.',
  },
  HOOKFLOW_API_KEY: {
    description:
      'Seeds an API key for the management API on start (stored hashed). Unset on a fresh ' +
      'install: one is generated and printed once.',
  },
  HOOKFLOW_ENCRYPTION_KEY: {
    description:
      'Encrypts stored credentials: 32 bytes, hex or base64 (`openssl rand -base64 32`). The same ' +
      'in every process. Required with PostgreSQL; SQLite generates `<data dir>/encryption.key`.',
  },
  HOOKFLOW_ENCRYPTION_KEYS_OLD: {
    description: 'Comma-separated `[keyId:]key` entries that only decrypt, after a key rotation.',
  },
  HOOKFLOW_PUBLIC_URL: {
    description: 'Base URL users paste into other services (trigger URLs are built on it).',
    default: '`http://localhost:<PORT>`',
  },
  HOOKFLOW_CONCURRENCY: {
    description: 'Executions run at once by the embedded runner.',
    field: 'concurrency',
  },
  HOOKFLOW_MAX_BODY_BYTES: { description: 'Largest webhook body accepted.', field: 'maxBodyBytes' },
  LOG_LEVEL: { description: 'Log level (JSON logs on stdout).', field: 'logLevel' },
  HOOKFLOW_EXPRESSION_TIMEOUT_MS: {
    description: 'Time limit of one JSONata evaluation or Handlebars render.',
    field: 'expressionTimeoutMs',
  },
  HOOKFLOW_MAX_OUTPUT_BYTES: {
    description:
      'Largest node output (its JSON, one byte per character) and longest string one ' +
      'expression may build; over it the node fails (`output_too_large`, `expression_too_large`).',
    field: 'maxOutputBytes',
  },
  HOOKFLOW_OUTBOUND_ALLOW: {
    description:
      'Comma-separated hosts, IPs and CIDRs that outbound HTTP/SMTP may reach although they are ' +
      'private or loopback. Empty: every private address is blocked (SSRF guard).',
  },
  HOOKFLOW_OUTBOUND_ALLOWLIST: {
    description: 'Older name of HOOKFLOW_OUTBOUND_ALLOW, still read.',
  },
  HOOKFLOW_BANNER: { description: 'Print the startup banner on stdout.', field: 'banner' },
  HOOKFLOW_WORKER_CONCURRENCY: {
    description: 'Executions run at once by one worker process (queue mode).',
    field: 'workerConcurrency',
  },
  HOOKFLOW_LEASE_MS: {
    description:
      'How long a runner holds an execution without renewing; a dead runner’s runs wait this long.',
    field: 'leaseMs',
  },
  HOOKFLOW_QUEUE_PREFIX: {
    description: 'Redis key prefix of the queues (lets several installations share a Redis).',
    field: 'queuePrefix',
  },
  HOOKFLOW_RECONCILE_INTERVAL_MS: {
    description: 'Queue mode: how often workers look for runs whose queue job was lost.',
    field: 'reconcileIntervalMs',
  },
  HOOKFLOW_RECONCILE_STALE_MS: {
    description:
      'Queue mode: a run untouched this long (a checkpoint does not count) with no live job is re-enqueued.',
    field: 'reconcileStaleMs',
  },
  HOOKFLOW_TRUSTED_PROXIES: {
    description:
      'Comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed by trigger IP allowlists. ' +
      'Checked at start with the parser trigger allowlists use: a bad entry (`10.0.0.0/40`) stops the start.',
  },
  HOOKFLOW_RETENTION_MAX_AGE: {
    description:
      'Succeeded and cancelled runs (and deliveries nothing refers to) older than this are deleted.',
    default: '`14d`',
  },
  HOOKFLOW_RETENTION_FAILED_MAX_AGE: {
    description: 'Failed runs older than this are deleted; never less than the age above.',
    default: '`30d`',
  },
  HOOKFLOW_RETENTION_MAX_PER_FLOW: {
    description:
      'Per flow, at most this many succeeded/cancelled runs and as many failed runs; 0: no cap.',
    default: '`10000`',
  },
  HOOKFLOW_RETENTION_INTERVAL: { description: 'How often the pruner runs.', default: '`5m`' },
  HOOKFLOW_RETENTION_BATCH: {
    description: 'Rows deleted per transaction (small, so intake writes get their turn).',
    default: '`500`',
  },
  HOOKFLOW_METRICS_TOKEN: {
    description:
      'Bearer token for `/metrics` on the main port; unset: `/metrics` answers 404 there.',
  },
  HOOKFLOW_METRICS_PORT: {
    description: 'A separate listener serving `/metrics` without a token; unset: none.',
  },
  HOOKFLOW_METRICS_HOST: {
    description: 'Address of the metrics listener.',
    default: '`127.0.0.1`',
  },
  HOOKFLOW_WORKER_PORT: {
    description:
      'A worker’s port for `/health/live`, `/health/ready` and `/metrics`; unset: none (set it ' +
      'in containers, for their health check).',
  },
  HOOKFLOW_WORKER_HOST: {
    description: 'Address of the worker’s health/metrics listener.',
    default: '`127.0.0.1`',
  },
  HOOKFLOW_INTAKE_CONCURRENCY: {
    description: 'Webhook requests received at once per process; 0: no limit.',
    field: 'intakeConcurrency',
  },
  HOOKFLOW_QUEUE_CEILING: {
    description: 'Queued (waiting + active) executions above which the intake answers 503.',
    field: 'queueCeiling',
  },
  HOOKFLOW_BACKLOG_IN_MEMORY: {
    description:
      'Embedded mode: runs waiting behind the intake whose ids are held in memory; past it they ' +
      'wait on disk only and are read back in pages of 2,000 (a burst costs no memory per run).',
    field: 'backlogInMemory',
  },
  HOOKFLOW_INTAKE_PER_CLIENT: {
    description:
      'Webhook requests received at once from one client address (resolved through ' +
      'HOOKFLOW_TRUSTED_PROXIES); more answer 429 before their body is read. 0: no limit.',
    field: 'intakePerClient',
  },
  HOOKFLOW_HEADERS_TIMEOUT_MS: {
    description: 'A request whose headers have not all arrived within this is closed (408).',
    field: 'headersTimeoutMs',
  },
  HOOKFLOW_BODY_TIMEOUT_MS: {
    description:
      'A webhook whose whole body has not arrived within this is answered 408 and closed, so a ' +
      'slow sender cannot hold an intake slot.',
    field: 'bodyTimeoutMs',
  },
  HOOKFLOW_BODY_MIN_RATE: {
    description:
      'Bytes per second a webhook body must average once it has taken 2 s; slower: 408. 0: ' +
      'no minimum (the body timeout still applies).',
    field: 'bodyMinBytesPerSecond',
  },
  HOOKFLOW_HEAP_GROWTH_PERCENT: {
    description:
      "V8's `--heap-growing-percent`, set at start: how far the heap may grow past what survived " +
      "the last full collection. Lower: less memory, more collections. 0: V8's choice (up to 4x).",
    field: 'heapGrowthPercent',
  },
  HOOKFLOW_DB_STATEMENT_TIMEOUT_MS: {
    description:
      'PostgreSQL: a statement (or waiting for a pooled connection) taking longer fails, and ' +
      'the request answers 503 instead of hanging. 0: no limit. Migrations are not limited.',
    default: '`10000`',
  },
  HOOKFLOW_SCHEDULE_SYNC_MS: {
    description:
      'How often schedulers re-read which enabled flows start on a schedule (a new or edited ' +
      'schedule starts ticking within this time).',
    field: 'scheduleSyncMs',
  },
};

/** One environment variable as docs/deploy.md lists it. */
export interface DocumentedVariable {
  name: string;
  /** Type and allowed values, from the validation rules. */
  accepts: string;
  default: string;
  description: string;
}

function ruleText(name: string, constraints: unknown[], message?: string): string | undefined {
  switch (name) {
    case 'isInt':
      return 'integer';
    case 'isBoolean':
      return '`true`/`false`/`1`/`0`';
    case 'isString':
      return 'text';
    case 'min':
      return `≥ ${String(constraints[0])}`;
    case 'max':
      return `≤ ${String(constraints[0])}`;
    case 'minLength':
      return `at least ${String(constraints[0])} character${constraints[0] === 1 ? '' : 's'}`;
    case 'isIn':
      return `one of ${(constraints[0] as unknown[]).map((value) => `\`${String(value)}\``).join(', ')}`;
    case 'matches':
      // A custom message says it better than the pattern ("must be a postgres:// URL").
      return message
        ? message.replace(/^(\$property|\S+) must be /, '')
        : `matches \`${String(constraints[0])}\``;
    default:
      return undefined;
  }
}

function shown(value: unknown): string {
  if (value === undefined || value === '') return '—';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

/**
 * Every variable `loadConfig` validates, in declaration order, with its rules read from the
 * class-validator metadata and its default from `loadConfig({})`.
 */
export function documentedVariables(): DocumentedVariable[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(Environment, '', true, false);
  const defaults = loadConfig({});
  const names = [...new Set(metadata.map((entry) => entry.propertyName))];
  return names.map((name) => {
    const doc = VARIABLE_DOCS[name];
    if (!doc) {
      throw new Error(
        `${name} has no entry in VARIABLE_DOCS (libs/common/src/environment-docs.ts)`,
      );
    }
    const rules = metadata
      .filter((entry) => entry.propertyName === name && entry.type === 'customValidation')
      .map((entry) =>
        ruleText(
          entry.name ?? '',
          entry.constraints ?? [],
          typeof entry.message === 'string' ? entry.message : undefined,
        ),
      )
      .filter((text): text is string => text !== undefined)
      // Type first, then bounds: the decorators are read bottom-up.
      .reverse();
    return {
      name,
      accepts: rules.join(', ') || 'text',
      default: doc.default ?? (doc.field ? shown(defaults[doc.field]) : '—'),
      description: doc.description,
    };
  });
}
