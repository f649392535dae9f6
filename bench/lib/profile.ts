import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not spent idle: the percentages below are of this. */
  busyMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
  /**
   * Inclusive time of Hookflow's own functions (dist/libs, dist/apps, dist/src). Only the
   * synchronous part of a call counts: an `await` cuts the stack, so this under-counts.
   */
  ours: SelfTime[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a script comes from: a package, a Hookflow library, Node's internals. */
function origin(url: string, functionName: string): string {
  if (SPECIAL.has(functionName)) return functionName;
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    const all = url.match(/node_modules\/(?:@[^/]+\/)?[^/]+/g) ?? [];
    return all[all.length - 1].replace('node_modules/', '');
  }
  const ours = /dist\/(libs|apps)\/([^/]+)/.exec(url);
  if (ours) return `hookflow ${ours[1]}/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string): string {
  const cut = url.lastIndexOf('node_modules/');
  if (cut >= 0) return url.slice(cut + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** Self time per function and per package, top `limit`, from a V8 .cpuprofile file. */
export function summarizeProfile(path: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index += 1) {
    const id = profile.samples[index];
    // timeDeltas[i] is the time between sample i-1 and i; attribute the next delta to sample i.
    const delta = profile.timeDeltas[index + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = origin(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = Math.max(totalUs - idleUs, 1);
  const ours = inclusiveOurs(profile, selfUs);
  const asSelfTime = (name: string, where: string, us: number): SelfTime => ({
    name,
    where,
    ms: Math.round(us / 100) / 10,
    percent: Math.round((us / busyUs) * 1000) / 10,
  });
  return {
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, limit)
      .map((entry) => asSelfTime(entry.name, entry.where, entry.us)),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => asSelfTime(name, '', us)),
    ours: [...ours.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, limit)
      .map((entry) => asSelfTime(entry.name, entry.where, entry.us)),
  };
}

const isOurs = (url: string): boolean => /\/dist\/(libs|apps|src)\//.test(url);

/** Time under each of our functions: every sample counts once per distinct function on its stack. */
function inclusiveOurs(
  profile: CpuProfile,
  selfUs: Map<number, number>,
): Map<string, { name: string; where: string; us: number }> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !isOurs(frame.url)) continue;
      const name = frame.functionName || '(anonymous)';
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${name}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? { name, where, us: 0 };
      entry.us += us;
      totals.set(key, entry);
    }
  }
  return totals;
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `CPU profile: ${summary.totalMs} ms sampled, ${summary.busyMs} ms busy (percentages of busy)`,
    '',
    'Top self time by function:',
    ...summary.functions.map(
      (entry) =>
        `  ${entry.percent.toFixed(1).padStart(5)}%  ${String(entry.ms).padStart(8)} ms  ` +
        `${entry.name}  ${entry.where}`,
    ),
    '',
    "Inclusive time of Hookflow's functions (synchronous part only; an await cuts the stack):",
    ...summary.ours.map(
      (entry) =>
        `  ${entry.percent.toFixed(1).padStart(5)}%  ${String(entry.ms).padStart(8)} ms  ` +
        `${entry.name}  ${entry.where}`,
    ),
    '',
    'Self time by package:',
    ...summary.packages.map(
      (entry) =>
        `  ${entry.percent.toFixed(1).padStart(5)}%  ${String(entry.ms).padStart(8)} ms  ${entry.name}`,
    ),
  ];
  return lines.join('\n');
}
