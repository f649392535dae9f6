import { writeSection } from './benchmarks-sections';

const HEADING = '## Big payload memory';
/** Where the section goes when the file has none yet: right before this heading, else at the end. */
const PLACE_BEFORE = '## Peak RSS per process';

export interface BigPayloadRun {
  startedAt: string;
  payloadMiB: number;
  count: number;
  respond: string;
  server: string;
  baselineMiB: number;
  peakMiB: number;
  extraMiB: number;
  ratio: number;
  deliveries: Array<{ status: number; finalStatus: string; ms: number; peakExtraMiB: number }>;
}

const ratioOf = (extraMiB: number, payloadMiB: number): string =>
  `${(extraMiB / payloadMiB).toFixed(2)}x`;

/** The section: how it ran, each delivery, the figure, and what is left. */
export function renderBigPayloadSection(run: BigPayloadRun): string {
  const rows = run.deliveries.map(
    (delivery, index) =>
      `| ${index + 1} | ${delivery.status} ${delivery.finalStatus} | ${delivery.ms.toLocaleString('en-US')} ms | ` +
      `+${delivery.peakExtraMiB} MiB = ${ratioOf(delivery.peakExtraMiB, run.payloadMiB)} |`,
  );
  return [
    HEADING,
    '',
    'Written by `npm run bench:big-payload -- --write` (`bench/big-payload.ts`, not part of `npm test`). ' +
      '`npm run bench` rewrites this whole file: run it again after.',
    '',
    `${run.startedAt}: the embedded server (${run.server}, SQLite in a temp dir), flow W1 ` +
      `(webhook -> transform -> filter -> respond, respond \`${run.respond}\`), ${run.count} JSON ` +
      `deliveries of ${run.payloadMiB.toFixed(1)} MiB posted one after another. Peak RSS above ` +
      'the idle RSS before the first delivery (VmHWM and 100 ms polls), so it counts garbage not ' +
      'yet collected, SQLite and allocator memory too.',
    '',
    '| Delivery | Answer | Time | Peak RSS so far, above idle |',
    '| -------: | ------ | ---: | --------------------------- |',
    ...rows,
    '',
    `- Idle ${run.baselineMiB} MiB, peak ${run.peakMiB} MiB: +${run.extraMiB} MiB = ` +
      `**${run.ratio}x payload** over ${run.count} deliveries.`,
    '- Before trigger bodies were stored once (same script, same machine, 2026-11-23): 38.9x for ' +
      'the first delivery, 41.1x over three, about 3 s per answer.',
    '- What one delivery still holds at once: the raw bytes (needed for signatures), their text, ' +
      'the parsed body (the flow needs it) and SQLite writing the one stored copy (about 2x while ' +
      'it runs). Further deliveries add garbage that V8 collects in its own time, so the figure ' +
      'over several deliveries is higher than for one.',
    '',
  ].join('\n');
}

/** Replaces (or inserts) the section in docs/BENCHMARKS.md, leaving every other section alone. */
export function writeBigPayloadSection(section: string): Promise<string> {
  return writeSection(HEADING, PLACE_BEFORE, section);
}
