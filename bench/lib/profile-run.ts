import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HookflowApi, ROOT, startHookflow } from './hookflow';
import { formatProfile, summarizeProfile } from './profile';
import { loadPoints, preparePaymentFlow, type LoadSettings } from './workloads';

/** The short commit of the code profiled, with `+` when it has uncommitted changes. */
function commitOf(): string {
  const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain']) ? '+' : ''}`;
  } catch {
    return 'unknown';
  }
}

/**
 * `--profile [w2]`: one embedded process under `node --cpu-prof`, W1 (answered when finished; or W2,
 * answered at once) at c=64
 * (warm-up included), then SIGUSR2 (see bench/support/exit-on-signal.js) so Node writes the
 * profile. Prints the top self-time functions and packages; keeps the summary (and the
 * .cpuprofile, for Chrome DevTools) under bench/results/profiles/, named by date and commit.
 */
export async function runProfile(options: {
  /** W1 (answered when finished) or W2 (answered 202 at once, the runs in the same process). */
  workload: 'w1' | 'w2';
  tmp: string;
  settings: LoadSettings;
  stamp: string;
  log: (line: string) => void;
}): Promise<void> {
  const { workload, tmp, settings, stamp, log } = options;
  const label = workload.toUpperCase();
  const dir = join(tmp, 'cpu-profile');
  mkdirSync(dir, { recursive: true });
  log(`Profile: embedded process under node --cpu-prof, ${label} at c=64`);
  const proc = await startHookflow({
    name: 'embedded (profiled)',
    env: { HOOKFLOW_SQLITE_PATH: join(tmp, 'profile.db') },
    nodeArgs: [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '-r',
      join(ROOT, 'bench', 'support', 'exit-on-signal.js'),
    ],
  });
  try {
    const api = new HookflowApi(proc.url);
    const prepared = await preparePaymentFlow(
      api,
      workload === 'w1' ? 'when-finished' : 'immediately',
    );
    if (!prepared.ok) throw new Error(prepared.reason);
    await loadPoints(settings, {
      url: prepared.hookUrl,
      label: `${label} embedded (profiled)`,
      connections: [64],
      rate: 'ok',
      serverPid: proc.pid,
    });
    process.kill(proc.pid, 'SIGUSR2');
    const exited = await Promise.race([
      proc.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
    ]);
    if (!exited) throw new Error('the profiled process did not exit within 30 s of SIGUSR2');
  } finally {
    await proc.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const summary = formatProfile(summarizeProfile(join(dir, file)));
  const keep = join(ROOT, 'bench', 'results', 'profiles');
  mkdirSync(keep, { recursive: true });
  const name = `${stamp.slice(0, 10)}-${commitOf()}-${workload}-c64`;
  copyFileSync(join(dir, file), join(keep, `${name}.cpuprofile`));
  writeFileSync(join(keep, `${name}.txt`), `${summary}\n`);
  process.stdout.write(`\n${summary}\n\n`);
  log(`profile kept in ${relative(ROOT, keep)}/${name}.txt and .cpuprofile (Chrome DevTools)`);
}
