/**
 * The one duration grammar of Hookflow, used by the configuration (`HOOKFLOW_RETENTION_*`) and
 * by node params (the schedule trigger's `interval`): one or more `<whole number><unit>` parts,
 * largest unit first, each unit at most once, no spaces inside. Units: `d`, `h`, `m`, `s`, `ms`.
 * Examples: `14d`, `36h`, `1h30m`, `30s`, `500ms`, `1d12h`. Documented in docs/configuration.md.
 */
const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

/** The grammar as one regular expression, for class-validator and JSON Schema `pattern`. */
export const DURATION_PATTERN =
  /^(?=\d)(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?(?:(\d{1,9})ms)?$/;

/** The grammar in words, for error messages and docs. */
export const DURATION_EXAMPLES = '14d, 36h, 1h30m, 30s or 500ms';

/**
 * Milliseconds of a duration (`14d`, `1h30m`, `500ms`); undefined for anything else, so the
 * caller can name the variable or param that is wrong.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  let ms = 0;
  UNITS.forEach(([, unitMs], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) ms += Number(amount) * unitMs;
  });
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact spelling of `ms` in the same grammar (`5400000` -> `1h30m`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, unitMs] of UNITS) {
    const amount = Math.floor(rest / unitMs);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * unitMs;
  }
  return text;
}
