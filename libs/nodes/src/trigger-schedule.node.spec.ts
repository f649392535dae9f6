import { compileFlow, FLOW_FORMAT } from '@hookflow/engine';
import { nodeRegistry } from './index';
import { nextTick, scheduleKey, scheduleOf } from './trigger-schedule.node';

function problemsOf(params: Record<string, unknown>) {
  const result = compileFlow(
    {
      format: FLOW_FORMAT,
      name: 'tick',
      nodes: [
        { id: 'tick', type: 'trigger.schedule', params },
        { id: 'map', type: 'transform', params: { expression: '$' } },
      ],
      edges: [{ from: 'tick', to: 'map' }],
    },
    nodeRegistry,
  );
  return result.ok ? [] : result.problems.map(({ path, message }) => ({ path, message }));
}

describe('trigger.schedule params', () => {
  it.each([
    [{ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' }],
    [{ cron: '*/1 * * * * *' }],
    [{ interval: 1 }],
    [{ interval: '1h30m' }],
  ])('accepts %j', (params) => {
    expect(problemsOf(params)).toEqual([]);
  });

  it('asks for a cron pattern or an interval when there is neither', () => {
    expect(problemsOf({})).toEqual([
      { path: '/nodes/0/params', message: expect.stringContaining('either `cron`') },
    ]);
  });

  it('refuses cron and interval together', () => {
    expect(problemsOf({ cron: '* * * * *', interval: 5 })).toEqual([
      { path: '/nodes/0/params/interval', message: 'set either `cron` or `interval`, not both' },
    ]);
  });

  it('names the bad field of a cron pattern and the wrong field count', () => {
    expect(problemsOf({ cron: '61 * * * *' })).toEqual([
      { path: '/nodes/0/params/cron', message: expect.stringContaining('minute') },
    ]);
    expect(problemsOf({ cron: '* * *' })).toEqual([
      { path: '/nodes/0/params/cron', message: expect.stringContaining('has 3') },
    ]);
    expect(problemsOf({ cron: '@daily' })).toHaveLength(1);
  });

  it('refuses an unknown time zone', () => {
    expect(problemsOf({ cron: '0 9 * * *', timezone: 'Mars/Olympus' })).toEqual([
      { path: '/nodes/0/params/timezone', message: expect.stringContaining('unknown time zone') },
    ]);
  });

  it('refuses intervals under a second, bad durations and a time zone with an interval', () => {
    expect(problemsOf({ interval: '500ms' })).toEqual([
      { path: '/nodes/0/params/interval', message: 'the interval must be at least 1 second' },
    ]);
    expect(problemsOf({ interval: 0 })).toHaveLength(1);
    expect(problemsOf({ interval: '5 minutes' })).toHaveLength(1);
    // The one grammar (libs/engine duration.ts): units largest first, each once.
    expect(problemsOf({ interval: '30m1h' })).toHaveLength(1);
    expect(problemsOf({ interval: 60, timezone: 'UTC' })).toEqual([
      { path: '/nodes/0/params/timezone', message: '`timezone` applies to `cron` only' },
    ]);
  });
});

describe('schedule ticks', () => {
  it('reads durations and seconds as milliseconds', () => {
    expect(scheduleOf({ interval: '1h30m' })).toEqual({ kind: 'interval', everyMs: 5_400_000 });
    expect(scheduleOf({ interval: 2 })).toEqual({ kind: 'interval', everyMs: 2000 });
    expect(scheduleOf({ cron: ' 0  9 * * * ' })).toEqual({
      kind: 'cron',
      cron: '0 9 * * *',
      timezone: 'UTC',
    });
  });

  it('puts interval ticks on multiples of the interval, strictly after the given time', () => {
    const every5s = { kind: 'interval', everyMs: 5000 } as const;
    expect(nextTick(every5s, new Date('2026-03-01T10:00:03.200Z'))?.toISOString()).toBe(
      '2026-03-01T10:00:05.000Z',
    );
    expect(nextTick(every5s, new Date('2026-03-01T10:00:05.000Z'))?.toISOString()).toBe(
      '2026-03-01T10:00:10.000Z',
    );
  });

  it('reads cron patterns in their time zone, across a DST change', () => {
    const nineInBerlin = scheduleOf({ cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    if (!nineInBerlin) throw new Error('valid params');
    // Winter (UTC+1), then summer (UTC+2) after the last Sunday of March.
    expect(nextTick(nineInBerlin, new Date('2026-03-27T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(nextTick(nineInBerlin, new Date('2026-03-29T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });

  it('ticks every second with a seconds field', () => {
    const everySecond = scheduleOf({ cron: '*/1 * * * * *' });
    if (!everySecond) throw new Error('valid params');
    expect(nextTick(everySecond, new Date('2026-03-01T10:00:03.200Z'))?.toISOString()).toBe(
      '2026-03-01T10:00:04.000Z',
    );
  });

  it('gives equal schedules equal keys and different ones different keys', () => {
    const a = scheduleOf({ interval: '60s' });
    const b = scheduleOf({ interval: '1m' });
    const c = scheduleOf({ cron: '* * * * *', timezone: 'UTC' });
    if (!a || !b || !c) throw new Error('valid params');
    expect(scheduleKey(a)).toBe(scheduleKey(b));
    expect(scheduleKey(a)).not.toBe(scheduleKey(c));
  });
});
