import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runToEnd, spawnChild } from './children';

const LUA_SCRIPT = join(__dirname, '..', 'wrk', 'post.lua');

export interface WrkRun {
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  /** Answers with status < 400 per second (wrk counts >= 400 as status errors). */
  okPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Socket-level failures: connect, read, write, timeout. */
  errors: number;
  errorDetail: { connect: number; read: number; write: number; timeout: number };
  /** Answers with status >= 400 (wrk's "Non-2xx or 3xx responses"). */
  non2xx: number;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latency_us: { p50: number; p90: number; p99: number; max: number; mean: number };
}

function isWrkJson(value: unknown): value is WrkJson {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.requests === 'number' &&
    typeof record.duration_us === 'number' &&
    typeof record.errors === 'object' &&
    typeof record.latency_us === 'object'
  );
}

/** Finds wrk; if missing, tries `apt-get install -y wrk` (root only), else says how to get it. */
export async function ensureWrk(log: (line: string) => void): Promise<string | undefined> {
  const found = (): string | undefined => {
    try {
      return execFileSync('which', ['wrk'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const existing = found();
  if (existing) return existing;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    log('wrk not found: trying `apt-get install -y wrk` (Debian package)');
    const options = { cwd: process.cwd(), timeoutMs: 120_000 };
    const install = ['install', '-y', '-qq', 'wrk'];
    const first = await runToEnd('apt-get', 'apt-get', install, options);
    if (first.code !== 0) {
      // A stale package list is the usual reason: refresh it once and try again.
      await runToEnd('apt-get', 'apt-get', ['update', '-qq'], options);
      await runToEnd('apt-get', 'apt-get', install, options);
    }
    const installed = found();
    if (installed) return installed;
  }
  log('wrk is not installed. Install it with: sudo apt-get install -y wrk   (then run again)');
  return undefined;
}

export function wrkVersion(): string {
  try {
    execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // wrk --version prints its banner and exits 1.
    const stdout = (error as { stdout?: string }).stdout ?? '';
    const first = stdout.split('\n')[0] ?? '';
    const match = /^wrk\s+(\S+)/.exec(first);
    if (match) return match[1];
  }
  return 'unknown';
}

export interface WrkOptions {
  url: string;
  connections: number;
  durationS: number;
  bodyFile: string;
  contentType?: string;
  /** Stop after this many answers (one thread, so exact up to the requests in flight). */
  maxRequests?: number;
  timeoutS?: number;
}

/** One wrk run: one thread, loopback only, the JSON summary parsed from the Lua done(). */
export async function runWrk(options: WrkOptions): Promise<WrkRun> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`refusing to load ${options.url}: the bench only targets loopback`);
  }
  let stdout = '';
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    `--timeout`,
    `${options.timeoutS ?? 5}s`,
    '-s',
    LUA_SCRIPT,
    options.url,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_BODY_FILE: options.bodyFile,
    BENCH_CONTENT_TYPE: options.contentType ?? 'application/json',
  };
  if (options.maxRequests !== undefined) env.BENCH_MAX_REQUESTS = String(options.maxRequests);
  let interrupted = false;
  const child = spawnChild(`wrk c=${options.connections}`, 'wrk', args, {
    cwd: process.cwd(),
    env,
    onStdout: (chunk) => {
      stdout += chunk;
      if (!interrupted && stdout.includes('BENCH_MAX_REACHED')) {
        // SIGINT ends wrk's sleep early; it joins its thread and prints the summary.
        interrupted = true;
        process.kill(child.pid, 'SIGINT');
      }
    },
  });
  const limit = setTimeout(() => void child.stop('SIGKILL'), (options.durationS + 15) * 1000);
  await child.exited;
  clearTimeout(limit);
  await child.stop();
  const line = stdout.split('\n').find((entry) => entry.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${child.output()}`);
  const parsed: unknown = JSON.parse(line.slice('BENCH_JSON '.length));
  if (!isWrkJson(parsed)) throw new Error(`unexpected wrk summary: ${line}`);
  const seconds = parsed.duration_us / 1e6;
  const ms = (us: number): number => Math.round(us / 10) / 100;
  const { connect, read, write, status, timeout } = parsed.errors;
  return {
    connections: options.connections,
    durationS: Math.round(seconds * 100) / 100,
    requests: parsed.requests,
    requestsPerSec: Math.round(parsed.requests / seconds),
    okPerSec: Math.round((parsed.requests - status) / seconds),
    latencyMs: {
      p50: ms(parsed.latency_us.p50),
      p90: ms(parsed.latency_us.p90),
      p99: ms(parsed.latency_us.p99),
      max: ms(parsed.latency_us.max),
      mean: ms(parsed.latency_us.mean),
    },
    errors: connect + read + write + timeout,
    errorDetail: { connect, read, write, timeout },
    non2xx: status,
  };
}
