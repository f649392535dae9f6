import { Type, type Static } from '@sinclair/typebox';
import { Cron } from 'croner';
import { defineNodeType, DURATION_PATTERN, parseDuration } from '@hookflow/engine';

/** The shortest interval; cron patterns with a seconds field can tick every second too. */
export const MIN_INTERVAL_MS = 1000;
/** The longest interval (a year): longer "intervals" are dates, better said with cron. */
export const MAX_INTERVAL_MS = 366 * 86_400_000;

const ScheduleParams = Type.Object(
  {
    cron: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Cron pattern, 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. ' +
          '`0 9 * * 1-5` (9:00 on weekdays) or `*/10 * * * * *` (every 10 s)',
      }),
    ),
    timezone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'IANA time zone the cron pattern is read in, e.g. `Europe/Berlin` (UTC if unset)',
      }),
    ),
    interval: Type.Optional(
      Type.Union(
        [
          Type.Integer({ minimum: 1, maximum: MAX_INTERVAL_MS / 1000 }),
          Type.String({ pattern: DURATION_PATTERN.source, maxLength: 40 }),
        ],
        {
          description:
            'Instead of cron: seconds (an integer), or a duration such as `30s`, `5m`, `1h30m`, `1d` ' +
            '(units largest first, each once: d, h, m, s, ms). ' +
            'Ticks fall on multiples of the interval since 1970-01-01 UTC (`1h` fires on the hour)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ScheduleTriggerParams = Static<typeof ScheduleParams>;

/** A checked schedule: when it ticks; both schedulers compute its instants with nextTick. */
export type ScheduleSpec =
  { kind: 'cron'; cron: string; timezone: string } | { kind: 'interval'; everyMs: number };

/** Milliseconds of an `interval` param, or a message saying what is wrong with it. */
export function intervalMs(interval: number | string): number | string {
  const ms = typeof interval === 'number' ? interval * 1000 : parseDuration(interval);
  if (ms === undefined) return 'expected seconds or a duration like 30s, 5m, 1h30m';
  if (ms < MIN_INTERVAL_MS) return 'the interval must be at least 1 second';
  if (ms > MAX_INTERVAL_MS) return 'the interval must be at most 366 days; use cron instead';
  return ms;
}

function timeZoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown time zone "${timezone}"; use an IANA name such as Europe/Berlin or UTC`;
  }
}

function cronProblem(cron: string, timezone: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `a cron pattern has 5 fields (6 with seconds); this one has ${fields.length}`;
  }
  try {
    const pattern = new Cron(fields.join(' '), { timezone, mode: '5-or-6-parts', paused: true });
    if (pattern.nextRun() === null) return 'this cron pattern never fires';
    return undefined;
  } catch (error) {
    return `invalid cron pattern: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Every problem of the params, each with its path below `params`; none means `scheduleOf` works. */
export function scheduleProblems(
  params: ScheduleTriggerParams,
): Array<{ path: string; message: string }> {
  const { cron, timezone, interval } = params;
  if (cron === undefined && interval === undefined) {
    return [{ path: '', message: 'set either `cron` (with an optional `timezone`) or `interval`' }];
  }
  if (cron !== undefined && interval !== undefined) {
    return [{ path: '/interval', message: 'set either `cron` or `interval`, not both' }];
  }
  if (interval !== undefined) {
    const problems = [];
    if (timezone !== undefined) {
      problems.push({ path: '/timezone', message: '`timezone` applies to `cron` only' });
    }
    const ms = intervalMs(interval);
    if (typeof ms === 'string') problems.push({ path: '/interval', message: ms });
    return problems;
  }
  const zoneProblem = timezone === undefined ? undefined : timeZoneProblem(timezone);
  if (zoneProblem) return [{ path: '/timezone', message: zoneProblem }];
  const patternProblem = cronProblem(cron as string, timezone ?? 'UTC');
  return patternProblem ? [{ path: '/cron', message: patternProblem }] : [];
}

/** The schedule of valid params (compileFlow has checked them); undefined if they are not. */
export function scheduleOf(params: ScheduleTriggerParams): ScheduleSpec | undefined {
  if (scheduleProblems(params).length > 0) return undefined;
  if (params.interval !== undefined) {
    return { kind: 'interval', everyMs: intervalMs(params.interval) as number };
  }
  const cron = (params.cron as string).trim().split(/\s+/).join(' ');
  return { kind: 'cron', cron, timezone: params.timezone ?? 'UTC' };
}

/** One string per distinct schedule: equal keys tick at the same instants. */
export function scheduleKey(spec: ScheduleSpec): string {
  return spec.kind === 'cron' ? `cron ${spec.timezone} ${spec.cron}` : `every ${spec.everyMs}`;
}

/**
 * The first tick strictly after `after`. Interval ticks are multiples of the interval since the
 * epoch (as Bull computes them), so every process agrees on the instants.
 */
export function nextTick(spec: ScheduleSpec, after: Date): Date | undefined {
  if (spec.kind === 'interval') {
    return new Date((Math.floor(after.getTime() / spec.everyMs) + 1) * spec.everyMs);
  }
  const pattern = new Cron(spec.cron, {
    timezone: spec.timezone,
    mode: '5-or-6-parts',
    paused: true,
  });
  return pattern.nextRun(after) ?? undefined;
}

/**
 * Starts the flow on a schedule: a cron pattern in a time zone, or a fixed interval. Each tick
 * starts one execution, however many API and worker processes run (the tick is the dedup key).
 * Its output is the trigger data: `{ scheduledAt, firedAt, cron | interval, timezone }`.
 */
export const scheduleTrigger = defineNodeType({
  type: 'trigger.schedule',
  label: 'Schedule',
  category: 'trigger',
  version: 1,
  icon: 'calendar-clock',
  description: 'Starts the flow on a cron schedule (in a time zone) or at a fixed interval.',
  isTrigger: true,
  pure: true,
  outputs: ['main'],
  params: ScheduleParams,
  checkParams: scheduleProblems,
  async execute(ctx) {
    return { port: 'main', output: ctx.trigger.body };
  },
});
