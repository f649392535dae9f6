/** One reading of the soak: the server's memory, the database's size and what it holds. */
export interface SoakSample {
  seconds: number;
  rssMiB: number;
  /** SQLite file plus its WAL. */
  dbMiB: number;
  rows: { executions: number; steps: number; deliveries: number; unfinished: number };
  accepted: number;
}

/** The last third's level may exceed the middle third's by this much and still count as level. */
export const LEVEL_TOLERANCE = 0.1;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value: number): number => Math.round(value * 10) / 10;

/**
 * Whether a series levelled off: the median of its last third is within LEVEL_TOLERANCE of the
 * median of its middle third (the first third is warm-up: caches fill, retention not yet
 * reached). Medians, not peaks: RSS of a garbage-collected process is a sawtooth whose single
 * samples swing by a fifth with where a major GC falls, while a leak moves the whole level.
 */
export function levelsOff(series: number[]): { ok: boolean; summary: string } {
  if (series.length < 6) return { ok: false, summary: `only ${series.length} samples: too short` };
  const third = Math.floor(series.length / 3);
  const parts = [series.slice(0, third), series.slice(third, 2 * third), series.slice(2 * third)];
  const [first, middle, last] = parts.map(median);
  const peaks = parts.map((part) => Math.max(...part));
  const growth = middle > 0 ? (last - middle) / middle : 0;
  const ok = last <= middle * (1 + LEVEL_TOLERANCE);
  const percent = `${growth >= 0 ? '+' : ''}${round(growth * 100)}%`;
  return {
    ok,
    summary:
      `median of the first / middle / last third ${round(first)} / ${round(middle)} / ${round(last)} ` +
      `(last vs middle ${percent}; level if <= +${LEVEL_TOLERANCE * 100}%), ` +
      `peaks ${peaks.join(' / ')}: ${ok ? 'levels off' : 'still growing'}`,
  };
}
