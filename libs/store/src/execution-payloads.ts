import type { JsonValue, RunState, StepRecord } from '@hookflow/engine';
import type { Database } from './database';
import { readBodyParts } from './delivery-body-parts';
import { select } from './raw-sql';

/**
 * Trigger bodies from this many characters on are stored once, in `executions.payload`, and the
 * run state, its checkpoints and the step rows refer to it. Smaller bodies stay inline: storing
 * them twice costs less than the extra read.
 */
export const PAYLOAD_INLINE_MAX_CHARS = 64 * 1024;

/**
 * `executions.payload` of a run whose body is its delivery's body as sent (JSON that parses to
 * exactly the trigger body): the bytes are stored once, in the delivery row. Not JSON, so it
 * cannot be mistaken for a stored body. Retention deletes a delivery only with its execution.
 */
export const PAYLOAD_IN_DELIVERY = '@delivery';

/** How many recently stored or loaded bodies this process can hand out again without a read. */
const RECENT_BODIES = 256;

/** Which of a step's input and output is the stored trigger body: `input,output` or one of them. */
export function stepPayloadRefs(state: RunState, step: StepRecord): string | null {
  if (!state.bodyStored) return null;
  const body = state.trigger.body;
  const refs: string[] = [];
  if (step.input === body) refs.push('input');
  if (step.status === 'succeeded' && step.output === body) refs.push('output');
  return refs.length > 0 ? refs.join(',') : null;
}

/**
 * Loads the stored trigger body of an execution. A body this process stored or read a moment
 * ago (the intake's, in embedded mode) is handed out again while it is still alive, instead of
 * being read and parsed a second time: bodies are never changed once stored.
 */
export class ExecutionPayloads {
  private readonly recent = new Map<string, WeakRef<object>>();

  constructor(private readonly database: Database) {}

  remember(executionId: string, body: JsonValue): void {
    if (typeof body !== 'object' || body === null) return;
    this.recent.delete(executionId);
    this.recent.set(executionId, new WeakRef(body));
    if (this.recent.size > RECENT_BODIES) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  async load(executionId: string): Promise<JsonValue> {
    const alive = this.recent.get(executionId)?.deref();
    if (alive) return alive as JsonValue;
    const rows = await select<{ payload: string | null; delivery_id: string | null }>(
      this.database.dataSource,
      this.database.kind,
      'SELECT payload, delivery_id FROM executions WHERE id = ?',
      [executionId],
    );
    let text: string | null | undefined = rows[0]?.payload;
    if (text === PAYLOAD_IN_DELIVERY) {
      const deliveryId = rows[0]?.delivery_id ?? '';
      const deliveries = await select<{ body: string | null; body_parts: number | null }>(
        this.database.dataSource,
        this.database.kind,
        'SELECT body, body_parts FROM deliveries WHERE id = ?',
        [deliveryId],
      );
      const delivery = deliveries[0];
      text = delivery?.body_parts
        ? (await readBodyParts(this.database, [deliveryId])).get(deliveryId)
        : delivery?.body;
    }
    if (typeof text !== 'string') {
      throw new Error(`the stored trigger body of execution ${executionId} is missing`);
    }
    const body = JSON.parse(text) as JsonValue;
    this.remember(executionId, body);
    return body;
  }
}
