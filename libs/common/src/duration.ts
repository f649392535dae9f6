const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

/** `<whole number><unit>` with unit ms, s, m, h or d: `14d`, `36h`, `5m`, `15s`, `500ms`. */
export const DURATION_PATTERN = /^(\d{1,9})(ms|s|m|h|d)$/;

/**
 * Milliseconds of a duration written the way operators write them (`14d`, `36h`, `5m`);
 * undefined for anything else, so the caller can name the variable that is wrong.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact spelling of `ms` (`86400000` -> `1d`), for logs and messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
