import { join } from 'node:path';
import { createServer, connect } from 'node:net';
import { spawnChild, type Child } from './children';
import type { FlowDocument } from './flows';

/** The repository root (bench/lib/ is two levels down), wherever the bench is started from. */
export const ROOT = join(__dirname, '..', '..');
export const API_KEY = 'bench-api-key-0123456789abcdef';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passed. */
export async function until(
  check: () => Promise<boolean>,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    await sleep(intervalMs);
  }
  return false;
}

/** A small plain-JavaScript server of the bench itself (bare baseline, sink). */
export async function startBenchServer(
  name: string,
  script: string,
): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = spawnChild(name, process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
  });
  const up = await until(() => canConnect('127.0.0.1', port, 200), { timeoutMs: 20_000 });
  if (!up) {
    await child.stop('SIGKILL');
    throw new Error(`${name} did not start:\n${child.output()}`);
  }
  return Object.assign(child, { url: `http://127.0.0.1:${port}` });
}

/** The bench's environment without Hookflow settings, so a shell's DATABASE_URL cannot leak in. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(HOOKFLOW_|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(name)) continue;
    env[name] = value;
  }
  return env;
}

export interface StartHookflowOptions {
  name: string;
  env: Record<string, string>;
  /** Extra node flags before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  script?: string;
  /** Wait for GET /health on this port (API processes); workers have none to wait for. */
  waitForHealth?: boolean;
}

export interface HookflowProcess extends Child {
  url: string;
  port: number;
}

/** `node dist/src/main.js` (or a worker) as users run it, on loopback, with the bench's env. */
export async function startHookflow(options: StartHookflowOptions): Promise<HookflowProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    PORT: String(port),
    HOST: '127.0.0.1',
    HOOKFLOW_API_KEY: API_KEY,
    HOOKFLOW_BANNER: 'false',
    LOG_LEVEL: 'warn',
    HOOKFLOW_OUTBOUND_ALLOW: '127.0.0.1',
    ...options.env,
  };
  const script = options.script ?? 'dist/src/main.js';
  const args = [...(options.nodeArgs ?? []), script];
  const child = spawnChild(options.name, process.execPath, args, { cwd: ROOT, env });
  const url = `http://127.0.0.1:${port}`;
  if (options.waitForHealth ?? true) {
    const healthy = await until(
      async () => {
        if (!child.isRunning()) return true;
        const answer = await fetch(`${url}/health`);
        return answer.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (!healthy || !child.isRunning()) {
      await child.stop('SIGKILL');
      throw new Error(`${options.name} did not become healthy:\n${child.output()}`);
    }
  }
  return Object.assign(child, { url, port });
}

export type ImportResult =
  { ok: true; flowId: string; hookUrl: string } | { ok: false; status: number; body: string };

/** The management API calls the bench needs. */
export class HookflowApi {
  constructor(readonly url: string) {}

  private headers(json = false): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` };
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  async importFlow(document: FlowDocument): Promise<ImportResult> {
    const answer = await fetch(`${this.url}/api/flows/import`, {
      method: 'POST',
      headers: this.headers(true),
      body: JSON.stringify(document),
    });
    const text = await answer.text();
    if (answer.status !== 200 && answer.status !== 201) {
      return { ok: false, status: answer.status, body: text };
    }
    const flow = JSON.parse(text) as { id: string; triggers: Array<{ path: string }> };
    const path = flow.triggers[0]?.path;
    if (!path) return { ok: false, status: answer.status, body: `no trigger in ${text}` };
    // Post to the loopback address the process listens on, whatever its public URL says.
    return { ok: true, flowId: flow.id, hookUrl: `${this.url}${path}` };
  }

  /** `total` of GET /api/executions?status=...&flowId=...&limit=1. */
  async count(status: string, flowId?: string): Promise<number> {
    const query = new URLSearchParams({ status, limit: '1' });
    if (flowId) query.set('flowId', flowId);
    const answer = await fetch(`${this.url}/api/executions?${query}`, { headers: this.headers() });
    if (answer.status !== 200) {
      throw new Error(`GET /api/executions answered ${answer.status}: ${await answer.text()}`);
    }
    const page = (await answer.json()) as { total: number };
    return page.total;
  }

  /** Executions not yet finished: pending + running. */
  async backlog(flowId?: string): Promise<number> {
    const [pending, running] = await Promise.all([
      this.count('pending', flowId),
      this.count('running', flowId),
    ]);
    return pending + running;
  }

  /** How many runs of the flow failed, and the first one's error message. */
  async firstFailure(flowId: string): Promise<{ count: number; error?: string }> {
    const query = new URLSearchParams({ status: 'failed', flowId, limit: '1' });
    const answer = await fetch(`${this.url}/api/executions?${query}`, { headers: this.headers() });
    if (answer.status !== 200) return { count: 0 };
    const page = (await answer.json()) as {
      total: number;
      items: Array<{ error?: { code?: string; message?: string } | null }>;
    };
    const error = page.items[0]?.error;
    return {
      count: page.total,
      error: error ? `${error.code ?? 'error'}: ${error.message ?? ''}`.slice(0, 300) : undefined,
    };
  }

  async executionStatus(id: string): Promise<string | undefined> {
    const answer = await fetch(`${this.url}/api/executions/${id}`, { headers: this.headers() });
    if (answer.status !== 200) return undefined;
    const execution = (await answer.json()) as { status?: string };
    return execution.status;
  }
}
