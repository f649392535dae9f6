import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { scheduleKey, scheduleOf, type ScheduleTriggerParams } from '@hookflow/nodes';
import {
  TimerScheduler,
  type ScheduledFlow,
  type TickOutcome,
  type TickSource,
} from '@hookflow/queue';
// Not in the @hookflow/queue barrel: bull loads only where queue mode needs it.
import { BullScheduler } from '../libs/queue/src/schedule/bull-scheduler';
import { queueModeSkip, REDIS_TEST_URL } from './support/databases';
import { waitFor } from './support/wait-for';

/**
 * The embedded timers and queue mode tick at the same instants, both computed by one cron
 * engine (croner). Clocks are injected: no test here waits for the instants it checks.
 */

const silent = pino({ level: 'silent' });

/** A stand-in for the database side of ScheduleTicks: one flow, and the ticks it was fired at. */
function tickSource(params: ScheduleTriggerParams): TickSource & { fired: Date[] } {
  const spec = scheduleOf(params);
  if (!spec) throw new Error(`not a schedule: ${JSON.stringify(params)}`);
  const flow: ScheduledFlow = { flowId: 'f1', versionId: 'v1', spec, key: scheduleKey(spec) };
  const fired: Date[] = [];
  return {
    fired,
    scheduledFlows: () => Promise.resolve([flow]),
    fire: (flowId: string, key: string, scheduledAt: Date): Promise<TickOutcome> => {
      expect([flowId, key]).toEqual([flow.flowId, flow.key]);
      fired.push(scheduledAt);
      return Promise.resolve('accepted');
    },
  };
}

const CASES: Array<{ name: string; params: ScheduleTriggerParams; from: string; first: string }> = [
  {
    // 02:30 does not exist in Berlin on 29 March 2026 (02:00 -> 03:00): croner fires at 03:00.
    name: '30 2 * * * in Europe/Berlin on the spring DST change',
    params: { cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    from: '2026-03-28T12:00:00.000Z',
    first: '2026-03-29T01:00:00.000Z',
  },
  {
    // 15 February 2026 is a Sunday: the nearest weekday is Monday the 16th.
    name: '0 0 15W * * (nearest weekday to the 15th)',
    params: { cron: '0 0 15W * *' },
    from: '2026-01-20T00:00:00.000Z',
    first: '2026-02-16T00:00:00.000Z',
  },
];

/** Embedded: fake timers and a fake Date; the scheduler's timers fire as time is advanced. */
async function embeddedFirstTick(params: ScheduleTriggerParams, from: string): Promise<string> {
  jest.useFakeTimers({ now: new Date(from) });
  const source = tickSource(params);
  const scheduler = new TimerScheduler(source, { syncMs: 86_400_000 }, silent);
  try {
    await scheduler.start();
    for (let day = 0; day < 40 && source.fired.length === 0; day += 1) {
      await jest.advanceTimersByTimeAsync(86_400_000);
    }
    expect(source.fired).toHaveLength(1);
    return source.fired[0].toISOString();
  } finally {
    scheduler.stop();
    jest.useRealTimers();
  }
}

describe('schedule instants, embedded timers', () => {
  it.each(CASES)('$name ticks first at $first', async ({ params, from, first }) => {
    expect(await embeddedFirstTick(params, from)).toBe(first);
  });
});

const skip = queueModeSkip();
const describeQueue = skip ? describe.skip : describe;

describeQueue(`schedule instants, queue mode${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  const schedulers: BullScheduler[] = [];
  afterAll(async () => {
    for (const scheduler of schedulers) {
      await scheduler.queue.obliterate({ force: true });
      await scheduler.stop();
    }
  });

  /**
   * Real Redis and Bull; the scheduler's clock is injected. The planned tick is promoted (made
   * due now) instead of waited for, and the worker side of the same scheduler fires it.
   */
  async function queueTicks(
    params: ScheduleTriggerParams,
    from: string,
  ): Promise<{ first: string; next: string }> {
    let clock = new Date(from);
    const source = tickSource(params);
    const scheduler = new BullScheduler(
      source,
      {
        redisUrl: REDIS_TEST_URL,
        prefix: `hf-instants-${randomBytes(4).toString('hex')}`,
        syncMs: 86_400_000,
        consume: true,
      },
      silent,
      () => clock,
    );
    schedulers.push(scheduler);
    await scheduler.start();
    const [planned, ...others] = await scheduler.queue.getDelayed();
    expect(others).toEqual([]);
    const first = new Date(planned.data.at);
    clock = first;
    await planned.promote();
    await waitFor('the promoted tick to fire', async () => source.fired[0]);
    const next = await waitFor('the next tick to be planned', async () => {
      const delayed = await scheduler.queue.getDelayed();
      return delayed.length === 1 ? delayed[0] : undefined;
    });
    expect(source.fired.map((at) => at.toISOString())).toEqual([first.toISOString()]);
    return { first: source.fired[0].toISOString(), next: new Date(next.data.at).toISOString() };
  }

  it('30 2 * * * in Europe/Berlin fires at the instant the embedded timers fire', async () => {
    const [dst] = CASES;
    const ticks = await queueTicks(dst.params, dst.from);
    expect(ticks.first).toBe(await embeddedFirstTick(dst.params, dst.from));
    expect(ticks).toEqual({ first: dst.first, next: '2026-03-30T00:30:00.000Z' });
  });

  it('0 0 15W * * ticks, on the same day as embedded', async () => {
    const [, weekday] = CASES;
    const ticks = await queueTicks(weekday.params, weekday.from);
    expect(ticks.first).toBe(await embeddedFirstTick(weekday.params, weekday.from));
    expect(ticks).toEqual({ first: weekday.first, next: '2026-03-16T00:00:00.000Z' });
  });
});
