import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './hookflow';
import type { SoakSample } from './soak-verdict';

export interface SoakRun {
  minutes: number;
  rate: number;
  retention: Record<string, string>;
  samples: SoakSample[];
  sent: number;
  accepted: number;
  refused: number;
  failedRuns: number;
  errorLines: number;
  rssSummary: string;
  dbSummary: string;
  verdict: string;
  loadBefore: number;
}

const HEADING = '## Soak';

/** The Soak section of docs/BENCHMARKS.md: how it ran, every sample, the verdict. */
export function soakSection(run: SoakRun): string {
  const rows = run.samples.map(
    (row) =>
      `| ${row.seconds} | ${row.rssMiB} | ${row.dbMiB} | ${row.rows.executions} | ` +
      `${row.rows.steps} | ${row.rows.deliveries} | ${row.rows.unfinished} |`,
  );
  const retention = Object.entries(run.retention)
    .map(([name, value]) => `\`${name}=${value}\``)
    .join(', ');
  return [
    HEADING,
    '',
    'Written by `npm run soak -- --write` (`bench/soak.ts`, not part of `npm test`). ' +
      '`npm run bench` rewrites this whole file: run the soak with `--write` again after it.',
    '',
    `${new Date().toISOString()}: the embedded server (\`src/main.ts\`, SQLite in a temp dir) for ` +
      `${run.minutes} min at ${run.rate} deliveries/s to a flow webhook -> transform -> ` +
      `http.request (a loopback sink); ${retention}. ${cpus().length} CPUs shared with other ` +
      `work (load average ${run.loadBefore.toFixed(2)} at the start). Sampled every 15 s: the ` +
      "server's RSS, the SQLite file plus its WAL, and the rows it holds.",
    '',
    '| t (s) | RSS (MiB) | SQLite + WAL (MiB) | executions | steps | deliveries | unfinished |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- Deliveries: ${run.sent} sent, ${run.accepted} accepted (2xx), ${run.refused} refused; ` +
      `${run.failedRuns} failed runs; ${run.errorLines} error log lines.`,
    `- RSS: ${run.rssSummary}.`,
    `- SQLite file: ${run.dbSummary}.`,
    `- Verdict: ${run.verdict}.`,
    '',
  ].join('\n');
}

/** Replaces (or appends) the Soak section of docs/BENCHMARKS.md, formatted as `npm run lint` wants. */
export async function writeSoakSection(section: string): Promise<string> {
  const path = join(ROOT, 'docs', 'BENCHMARKS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(`\n${HEADING}\n`);
  let next = current.length;
  if (start >= 0) {
    const after = current.indexOf('\n## ', start + HEADING.length + 1);
    if (after >= 0) next = after;
  }
  const text =
    start >= 0
      ? `${current.slice(0, start)}\n${section}${current.slice(next)}`
      : `${current.trimEnd()}\n\n${section}`;
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
  return path;
}

export const loadBefore = (): number => loadavg()[0];
