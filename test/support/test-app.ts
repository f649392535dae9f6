import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig } from '@hookflow/common';
import { createApp } from '@hookflow/api';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const TEST_API_KEY = 'e2e-test-key-0123456789abcdef';
/** A fixed credentials key for tests (32 bytes, base64); PostgreSQL mode requires one. */
export const TEST_ENCRYPTION_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  /** Management API call with the test key unless `auth: false` or another header is given. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { body?: unknown; auth?: boolean | string; headers?: Record<string, string> },
  ): Promise<HttpAnswer<T>>;
  /** Raw call, e.g. a webhook post. */
  post(path: string, body: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export async function call<T>(
  url: string,
  method: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const response = await fetch(url, { method, body: init.body, headers: init.headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Boots the real application in this process on a random loopback port. */
export async function startTestApp(
  env: Record<string, string>,
  /** Collects every log line (JSON) at trace level, for tests that read the logs. */
  logLines?: string[],
): Promise<TestApp> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HOOKFLOW_API_KEY: TEST_API_KEY,
    HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    HOOKFLOW_BANNER: 'false',
    HOOKFLOW_OUTBOUND_ALLOW: '127.0.0.1',
    ...env,
  });
  const logger = logLines
    ? createLogger('trace', { write: (line: string) => void logLines.push(line) })
    : createLogger(config.logLevel);
  const { app } = await createApp({ config, logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    app,
    api: (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.auth !== false) {
        headers.authorization =
          typeof options.auth === 'string' ? options.auth : `Bearer ${TEST_API_KEY}`;
      }
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return call(url + path, method, {
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        headers,
      });
    },
    post: (path, body, headers = { 'content-type': 'application/json' }) =>
      call(url + path, 'POST', { body, headers }),
    close: () => app.close(),
  };
}
