import { randomBytes } from 'node:crypto';
import { CliError, EXIT } from './cli-error';

export interface ApiAnswer {
  status: number;
  /** The body parsed as JSON (the text when it is not JSON). */
  body: unknown;
  /** The body exactly as sent: exports are written byte for byte. */
  text: string;
}

/** The management API as the CLI sees it: the same calls, whether remote or in-process. */
export interface ApiClient {
  /** Where the calls go, for messages: a URL or "local database (sqlite ...)". */
  readonly target: string;
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  close(): Promise<void>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ path?: string; message?: string }> };
}

/** Turns a non-2xx answer into one readable line, with the exit code its status deserves. */
export function failure(answer: ApiAnswer, what: string): CliError {
  const error = (answer.body as ErrorBody | null)?.error;
  const details = (error?.details ?? [])
    .slice(0, 5)
    .map((detail) => `\n  ${detail.path ?? ''}: ${detail.message ?? ''}`)
    .join('');
  const message = `${what}: ${error?.message ?? `HTTP ${answer.status}`}${details}`;
  const code =
    answer.status === 404 ? EXIT.notFound : answer.status === 409 ? EXIT.conflict : EXIT.failed;
  return new CliError(message, code);
}

/** Calls a running server: `--server <url>` with `--api-key` (or HOOKFLOW_API_KEY). */
export class RemoteApiClient implements ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  get target(): string {
    return this.baseUrl;
  }

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new CliError(
        `cannot reach ${this.baseUrl}: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 401) {
      throw new CliError(
        `${this.baseUrl} refused the API key (401): pass --api-key or set HOOKFLOW_API_KEY`,
      );
    }
    return { status: response.status, body: parsed, text };
  }

  async close(): Promise<void> {}
}

/**
 * Works on the local database without a server: boots the application in this process (no
 * listening socket, no runner) and injects requests, so local and remote commands share every
 * rule of the API. The token exists only in this process's memory.
 */
export class LocalApiClient implements ApiClient {
  private constructor(
    readonly target: string,
    private readonly inject: (
      method: string,
      path: string,
      body?: unknown,
    ) => Promise<{ statusCode: number; body: string }>,
    private readonly shutdown: () => Promise<void>,
  ) {}

  static async open(env: NodeJS.ProcessEnv): Promise<LocalApiClient> {
    // Loaded lazily: remote commands should not pay for booting Nest.
    const { loadConfig, createLogger } = await import('@hookflow/common');
    const { createApp } = await import('@hookflow/api');
    const config = { ...loadConfig(env), banner: false };
    const logger = createLogger(env.LOG_LEVEL === undefined ? 'error' : config.logLevel);
    const localToken = randomBytes(32).toString('base64url');
    const { app, generatedApiKey } = await createApp({
      config,
      logger,
      runExecutions: false,
      localToken,
    });
    await app.init();
    if (generatedApiKey) {
      // A new database got its first key here: say it once, as `npm start` would.
      process.stderr.write(`hookflow: generated the first API key ${generatedApiKey}\n`);
    }
    const fastify = app.getHttpAdapter().getInstance();
    const target =
      config.database.kind === 'sqlite'
        ? `local database (SQLite ${config.database.path})`
        : 'local database (PostgreSQL)';
    return new LocalApiClient(
      target,
      async (method, path, body) => {
        const answer = await fastify.inject({
          method: method as 'GET',
          url: path,
          headers: {
            authorization: `Bearer ${localToken}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          payload: body !== undefined ? JSON.stringify(body) : undefined,
        });
        return { statusCode: answer.statusCode, body: answer.body };
      },
      () => app.close(),
    );
  }

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const answer = await this.inject(method, path, body);
    let parsed: unknown = answer.body;
    try {
      parsed = answer.body.length > 0 ? JSON.parse(answer.body) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: answer.statusCode, body: parsed, text: answer.body };
  }

  close(): Promise<void> {
    return this.shutdown();
  }
}
