import type { JsonValue, RunState, StepRecord } from '@hookflow/engine';
import type { Database } from './database';
import { readBodyParts } from './delivery-body-parts';
import { select } from './raw-sql';

/**
 * Trigger bodies from this many characters on are stored once, in `executions.payload`, and the
 * run state, its checkpoints and the step rows refer to it. Smaller bodies stay inline, unless
 * they are their delivery's text (PAYLOAD_SHARED_MIN_CHARS).
 */
export const PAYLOAD_INLINE_MAX_CHARS = 64 * 1024;

/**
 * A smaller body from this many characters (or bytes) on is stored once as well when it is its
 * delivery's text as sent (PAYLOAD_IN_DELIVERY). Measured under W2 at c=64 (SQLite): a 3.5 KB body
 * cost 20 % less CPU per accepted delivery that way, a 1 KB one 15 % less, while one of 80 bytes
 * cost more (taking it out of the state and putting it back costs more than writing it twice).
 */
export const PAYLOAD_SHARED_MIN_CHARS = 512;

/**
 * `executions.payload` of a run whose body is its delivery's body as sent (JSON that parses to
 * exactly the trigger body): the bytes are stored once, in the delivery row. Not JSON, so it
 * cannot be mistaken for a stored body. Retention deletes a delivery only with its execution.
 */
export const PAYLOAD_IN_DELIVERY = '@delivery';

/** How many recently stored or loaded bodies this process can hand out again without a read. */
const RECENT_BODIES = 256;

/** How many executions' bodies one query reads (well under SQLite's 999 bound parameters). */
const READ_BATCH = 500;

interface StoredBodyRow {
  id: string;
  payload: string | null;
  delivery_id: string | null;
  /** The delivery's columns, only where `payload` says the body is the delivery's. */
  body: string | null;
  body_parts: number | null;
}

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

  /** A stored body's JSON text, read along with its execution: parsed and remembered. */
  parse(executionId: string, text: string): JsonValue {
    const body = JSON.parse(text) as JsonValue;
    this.remember(executionId, body);
    return body;
  }

  async load(executionId: string): Promise<JsonValue> {
    const body = (await this.loadMany([executionId])).get(executionId);
    if (body === undefined) throw missingBody(executionId);
    return body;
  }

  /**
   * The stored trigger bodies of several executions, read with one query per READ_BATCH ids: the
   * drain of a backlog resolves the bodies of a turn's runs at once. An execution whose body is
   * missing has no entry (see missingBody), so it fails alone.
   */
  async loadMany(executionIds: readonly string[]): Promise<Map<string, JsonValue>> {
    const bodies = new Map<string, JsonValue>();
    const unread: string[] = [];
    for (const id of new Set(executionIds)) {
      const alive = this.recent.get(id)?.deref();
      if (alive) bodies.set(id, alive as JsonValue);
      else unread.push(id);
    }
    for (let index = 0; index < unread.length; index += READ_BATCH) {
      const ids = unread.slice(index, index + READ_BATCH);
      const rows = await select<StoredBodyRow>(
        this.database.dataSource,
        this.database.kind,
        'SELECT e.id, e.payload, e.delivery_id, d.body, d.body_parts FROM executions e ' +
          'LEFT JOIN deliveries d ON d.id = e.delivery_id AND e.payload = ? ' +
          `WHERE e.id IN (${ids.map(() => '?').join(', ')})`,
        [PAYLOAD_IN_DELIVERY, ...ids],
      );
      const inParts = rows.filter((row) => row.body_parts && row.delivery_id !== null);
      const parts = inParts.length
        ? await readBodyParts(
            this.database,
            inParts.map((row) => row.delivery_id as string),
          )
        : undefined;
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const id of ids) {
        const row = byId.get(id);
        let text: string | null | undefined = row?.payload;
        if (row && text === PAYLOAD_IN_DELIVERY) {
          text = row.body_parts ? parts?.get(row.delivery_id ?? '') : row.body;
        }
        if (typeof text === 'string') bodies.set(id, this.parse(id, text));
      }
    }
    return bodies;
  }
}

export function missingBody(executionId: string): Error {
  return new Error(`the stored trigger body of execution ${executionId} is missing`);
}
