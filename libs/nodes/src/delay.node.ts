import { Type } from '@sinclair/typebox';
import { defineNodeType, Jsonata, NodeFailure, type JsonValue } from '@hookflow/engine';

const MAX_DELAY_MS = 366 * 24 * 3_600_000;

/** Reads what an `until` expression produced: an ISO 8601 time or epoch milliseconds. */
function toTime(value: JsonValue): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string') {
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : new Date(at);
  }
  return undefined;
}

/**
 * Waits, without holding a worker: the run is suspended (state persisted, a delayed job
 * scheduled) and resumes on any worker when the time comes, across restarts.
 */
export const delayNode = defineNodeType({
  type: 'delay',
  label: 'Delay',
  category: 'flow',
  version: 1,
  icon: 'clock',
  description:
    'Waits for a duration, or until a time computed by JSONata, then passes the message on.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      durationMs: Type.Optional(
        Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'How long to wait' }),
      ),
      until: Type.Optional(
        Jsonata({ description: 'JSONata giving an ISO 8601 time or epoch ms, e.g. `data.due_at`' }),
      ),
    },
    { additionalProperties: false },
  ),
  async execute(ctx, params) {
    // Woken up: the wait is over.
    if (ctx.wokeAt !== undefined) return { port: 'main', output: ctx.input };
    const now = ctx.now();
    let until: Date;
    if (params.until !== undefined) {
      const value = await ctx.evaluate(params.until);
      const parsed = toTime(value);
      if (!parsed) {
        throw new NodeFailure(
          'invalid_time',
          `until gave ${JSON.stringify(value)}, not an ISO 8601 time or epoch milliseconds`,
        );
      }
      until = parsed;
    } else if (params.durationMs !== undefined) {
      until = new Date(now.getTime() + params.durationMs);
    } else {
      throw new NodeFailure('invalid_params', 'set durationMs or until');
    }
    if (until.getTime() <= now.getTime()) return { port: 'main', output: ctx.input };
    if (until.getTime() - now.getTime() > MAX_DELAY_MS) {
      throw new NodeFailure(
        'invalid_time',
        `until ${until.toISOString()} is more than a year away`,
      );
    }
    return { suspendUntil: until.toISOString() };
  },
});
