import { spawn, type ChildProcess } from 'node:child_process';

/** A process the bench started. Every one is registered here, so every one can be killed. */
export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last 64 KiB of stdout and stderr, for error messages. */
  output(): string;
  exited: Promise<void>;
  isRunning(): boolean;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with every chunk of stdout (e.g. wrk's JSON line). */
  onStdout?: (chunk: string) => void;
}

const OUTPUT_LIMIT = 64 * 1024;
const running = new Set<Child>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Children run in their own process group (detached), so a grandchild dies with its parent.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = proc.pid;
  let output = '';
  const keep = (chunk: Buffer): string => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_LIMIT);
    return text;
  };
  proc.stdout?.on('data', (chunk: Buffer) => {
    const text = keep(chunk);
    options.onStdout?.(text);
  });
  proc.stderr?.on('data', (chunk: Buffer) => keep(chunk));
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      gone = true;
      resolve();
    });
    proc.once('error', () => {
      gone = true;
      resolve();
    });
  });
  const child: Child = {
    name,
    pid,
    process: proc,
    output: () => output,
    exited,
    isRunning: () => !gone,
    stop: async (signal = 'SIGTERM', graceMs = 3000) => {
      if (!gone) {
        killGroup(pid, signal);
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // A grandchild that ignored the signal must not outlive the bench.
      killGroup(pid, 'SIGKILL');
      running.delete(child);
    },
  };
  running.add(child);
  void exited.then(() => {
    if (!child.isRunning()) running.delete(child);
  });
  return child;
}

/** Stops every process the bench started and still runs; bounded by the SIGKILL fallback. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop('SIGTERM', 2000)));
}

/** Synchronous last resort (process 'exit' handler): SIGKILL whatever is left. */
export function killAllChildrenNow(): void {
  for (const child of running) killGroup(child.pid, 'SIGKILL');
  running.clear();
}

export function runningChildren(): string[] {
  return [...running].filter((child) => child.isRunning()).map((c) => `${c.name} (${c.pid})`);
}

/** Runs a command to completion with a time limit; resolves with its exit code and output. */
export async function runToEnd(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const child = spawnChild(name, command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop('SIGTERM', 2000);
  }, options.timeoutMs);
  await child.exited;
  clearTimeout(timer);
  await child.stop();
  return { code: child.process.exitCode, output: child.output(), timedOut };
}
