import { findSection, withSection, writeSection } from './benchmarks-sections';

export const DRY_RUN_HEADING = '## Dry run (safe publish)';
const PLACE_BEFORE = '## Peak RSS per process';

export interface DryRunMeasurement {
  measuredAt: string;
  commit: string;
  deliveries: number;
  ms: number;
  unchanged: number;
  changed: number;
  failed: number;
}

export function renderDryRunSection(run: DryRunMeasurement): string {
  return [
    DRY_RUN_HEADING,
    '',
    `Measured by \`node -r @swc-node/register bench/dry-run.ts --count ${run.deliveries} --write\` ` +
      `(${run.measuredAt}, commit ${run.commit}; not part of \`npm run bench\`, which keeps this ` +
      'section): the embedded server on SQLite records W1 deliveries, a draft tightens the ' +
      'filter, then one dry run tries the draft on all of them: from `POST /api/flows/:id/dry-runs` ' +
      'until `GET` says `finished` (both versions run per delivery, comparisons stored).',
    '',
    '| Deliveries | Time | Unchanged | Changed | Failed | Target |',
    '| ---------- | ---- | --------- | ------- | ------ | ------ |',
    `| ${run.deliveries} | ${run.ms} ms | ${run.unchanged} | ${run.changed} | ${run.failed} | < 2 s for 200 |`,
    '',
  ].join('\n');
}

export function writeDryRunSection(run: DryRunMeasurement): Promise<string> {
  return writeSection(DRY_RUN_HEADING, PLACE_BEFORE, renderDryRunSection(run));
}

/** `npm run bench` rewrites the file: the dry-run figure measured apart goes over to the new one. */
export function keepDryRunSection(previous: string, next: string): string {
  const kept = findSection(previous, DRY_RUN_HEADING);
  return kept === undefined ? next : withSection(next, DRY_RUN_HEADING, PLACE_BEFORE, kept);
}
