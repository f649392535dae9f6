import { createHash, createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { eachMode, type RunningHookflow } from './support/modes';
import { waitFor } from './support/wait-for';

/*
 * Big trigger bodies are stored once and referred to by the run state and the step rows. What a
 * user sees must not change: the execution shows the body exactly as posted (big integers kept
 * exact), as the trigger, as the webhook step's input and output and as the next step's input,
 * also after the run was parked (a delay) and picked up again from the database.
 */

interface StepView {
  nodeId: string;
  status: string;
  input: unknown;
  output: unknown;
}
interface ExecutionView {
  status: string;
  deliveryId: string;
  trigger: { method: string; body: unknown };
  steps: StepView[];
}

const NOTE = 'é—'.repeat(40) + 'x'.repeat(120);

/** About `bytes` of JSON: line items, a few of them with integers beyond 2^53. */
function bigJson(bytes: number, bigIntegers: boolean): string {
  const items: string[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index += 1) {
    const id = bigIntegers && index % 1000 === 0 ? `9007199254740993${index}` : String(index);
    const item = `{"sku":"sku-${index}","id":${id},"qty":${(index % 7) + 1},"note":"${NOTE}"}`;
    items.push(item);
    size += item.length + 1;
  }
  const head = bigIntegers ? '"order":12345678901234567890,' : '"order":42,';
  return `{${head}"event":"order.created","items":[${items.join(',')}]}`;
}

/** The body as the lossless parser reads it: integers beyond 2^53 become their digits as text. */
function expectedBody(text: string): unknown {
  return JSON.parse(text.replace(/(?<=[:,[])(-?\d{16,})(?=[,}\]])/g, '"$1"'));
}

const digest = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Characters of run state, step rows and separately stored body (`payload`: the body, or
 * `@delivery` when the delivery row's text is the one copy) of one execution, from the database.
 */
async function storedSizes(env: Record<string, string>, executionId: string) {
  const stateSql = 'SELECT length(state) AS n FROM executions WHERE id = $1';
  const payloadSql = "SELECT length(coalesce(payload, '')) AS n FROM executions WHERE id = $1";
  const stepsSql =
    "SELECT sum(length(input) + length(coalesce(output, ''))) AS n FROM execution_steps " +
    'WHERE execution_id = $1';
  if (env.HOOKFLOW_SQLITE_PATH) {
    const db = new Database(env.HOOKFLOW_SQLITE_PATH, { readonly: true });
    try {
      const read = (sql: string) =>
        Number((db.prepare(sql.replace('$1', '?')).get(executionId) as { n: number }).n);
      return { state: read(stateSql), steps: read(stepsSql), payload: read(payloadSql) };
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const read = async (sql: string) =>
      Number((await client.query<{ n: string }>(sql, [executionId])).rows[0].n);
    return {
      state: await read(stateSql),
      steps: await read(stepsSql),
      payload: await read(payloadSql),
    };
  } finally {
    await client.end();
  }
}

/**
 * A delivery's stored body, straight from the database: a big one is in parts of at most 1 MiB
 * (delivery_body_parts), put together here; `type` is the storage class of the row's body or of
 * every part (SQLite), `parts` how many there are (0: in the row).
 */
async function storedBody(env: Record<string, string>, deliveryId: string) {
  const rowSql = 'SELECT body, body_parts FROM deliveries WHERE id = $1';
  const partsSql = 'SELECT part FROM delivery_body_parts WHERE delivery_id = $1 ORDER BY seq';
  let row: { body: string | null; body_parts: number | null };
  let parts: string[];
  let types = ['text'];
  if (env.HOOKFLOW_SQLITE_PATH) {
    const db = new Database(env.HOOKFLOW_SQLITE_PATH, { readonly: true });
    try {
      const sqlite = (sql: string) => db.prepare(sql.replace('$1', '?'));
      row = sqlite(rowSql).get(deliveryId) as typeof row;
      parts = (sqlite(partsSql).all(deliveryId) as Array<{ part: string }>).map((p) => p.part);
      const typeSql =
        row.body_parts === null
          ? 'SELECT DISTINCT typeof(body) AS type FROM deliveries WHERE id = $1'
          : 'SELECT DISTINCT typeof(part) AS type FROM delivery_body_parts WHERE delivery_id = $1';
      types = (sqlite(typeSql).all(deliveryId) as Array<{ type: string }>).map((t) => t.type);
    } finally {
      db.close();
    }
  } else {
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      row = (await client.query<typeof row>(rowSql, [deliveryId])).rows[0];
      parts = (await client.query<{ part: string }>(partsSql, [deliveryId])).rows.map(
        (p) => p.part,
      );
    } finally {
      await client.end();
    }
  }
  const biggestPart = Math.max(0, ...parts.map((part) => Buffer.byteLength(part)));
  return {
    type: types.join(','),
    body: row.body_parts === null ? row.body : parts.join(''),
    parts: row.body_parts ?? 0,
    partsFound: parts.length,
    rowBody: row.body,
    biggestPart,
  };
}

function bigPayloadFlow() {
  return {
    format: 'hookflow.flow/v1',
    name: 'big payload',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { respond: 'immediately' } },
      { id: 'wait', type: 'delay', params: { durationMs: 100 } },
      {
        id: 'map',
        type: 'transform',
        params: { expression: "{ 'count': $count(items), 'order': order, 'last': items[-1].sku }" },
      },
    ],
    edges: [
      { from: 'hook', to: 'wait' },
      { from: 'wait', to: 'map' },
    ],
  };
}

eachMode((mode) => {
  describe(`big payloads (${mode.name})`, () => {
    let hookflow: RunningHookflow;
    let hookPath: string;

    beforeAll(async () => {
      hookflow = await mode.start({ HOOKFLOW_MAX_BODY_BYTES: String(16 * 1024 * 1024) });
      const imported = await hookflow.api.api<{ triggers: Array<{ path: string }> }>(
        'POST',
        '/api/flows/import',
        { body: bigPayloadFlow() },
      );
      expect(imported.status).toBe(201);
      hookPath = imported.body.triggers[0].path;
    }, 60_000);

    afterAll(async () => {
      await hookflow?.stop();
    }, 60_000);

    async function postAndFinish(text: string): Promise<{ id: string; view: ExecutionView }> {
      const answer = await hookflow.api.post(hookPath, text, {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(202);
      return finished((answer.body as { executionId: string }).executionId);
    }

    async function finished(id: string): Promise<{ id: string; view: ExecutionView }> {
      const view = await waitFor(
        `execution ${id} to finish`,
        async () => {
          const found = await hookflow.api.api<ExecutionView>('GET', `/api/executions/${id}`);
          return ['succeeded', 'failed'].includes(found.body.status) ? found.body : undefined;
        },
        { attempts: 600, intervalMs: 100 },
      );
      return { id, view };
    }

    it.each([
      ['as plain JSON', false],
      ['with integers beyond 2^53', true],
    ])(
      'shows a 3 MB body %s exactly as posted, in the trigger and every step',
      async (_label, bigIntegers) => {
        const text = bigJson(3 * 1024 * 1024, bigIntegers);
        const expected = expectedBody(text) as { order: unknown; items: unknown[] };
        const { id, view } = await postAndFinish(text);

        expect(view.status).toBe('succeeded');
        expect(view.trigger.method).toBe('POST');
        expect(digest(view.trigger.body)).toBe(digest(expected));
        const [hook, wait, map] = view.steps.filter((step) => step.status === 'succeeded');
        expect(hook.nodeId).toBe('hook');
        expect(digest(hook.input)).toBe(digest(expected));
        expect(digest(hook.output)).toBe(digest(expected));
        expect(wait.nodeId).toBe('wait');
        expect(digest(wait.input)).toBe(digest(expected));
        expect(map.nodeId).toBe('map');
        expect(digest(map.input)).toBe(digest(expected));
        const last = expected.items[expected.items.length - 1] as { sku: string };
        expect(map.output).toEqual({
          count: expected.items.length,
          order: bigIntegers ? '12345678901234567890' : 42,
          last: last.sku,
        });
        const body = view.trigger.body as { order: unknown; items: Array<{ id: unknown }> };
        expect(body.order).toBe(bigIntegers ? '12345678901234567890' : 42);
        expect(body.items[1000].id).toBe(bigIntegers ? '90071992547409931000' : 1000);
        // Stored once: neither the checkpointed state nor the step rows carry a copy of it.
        const sizes = await storedSizes(hookflow.env, id);
        expect(sizes.state).toBeLessThan(10_000);
        expect(sizes.steps).toBeLessThan(10_000);
      },
      120_000,
    );

    it('stores a 2 KB body once, in its delivery row, and shows it everywhere', async () => {
      const text = bigJson(2 * 1024, false);
      const expected = JSON.parse(text) as unknown;
      const { id, view } = await postAndFinish(text);
      expect(view.status).toBe('succeeded');
      const check = (seen: ExecutionView) => {
        expect(seen.trigger.body).toEqual(expected);
        const [hook, wait, map] = seen.steps.filter((step) => step.status === 'succeeded');
        expect([hook.input, hook.output, wait.input, map.input]).toEqual([
          expected,
          expected,
          expected,
          expected,
        ]);
      };
      check(view);
      // The delivery row holds the one copy: the state and the step rows only refer to it (in
      // queue mode the worker's claim read it back with the run).
      const sizes = await storedSizes(hookflow.env, id);
      expect(sizes.payload).toBe('@delivery'.length);
      expect(sizes.state).toBeLessThan(text.length);
      expect(sizes.steps).toBeLessThan(text.length);
      await hookflow.restartAll();
      check((await finished(id)).view);
    }, 120_000);

    it('reads a big body back after a restart, and replays it with the same body', async () => {
      const text = bigJson(2 * 1024 * 1024, false);
      const { id, view } = await postAndFinish(text);
      // Fresh processes (queue mode: the API too, whose body cache would answer otherwise) have
      // nothing in memory: the body comes from the database.
      await hookflow.restartAll();
      const reread = await finished(id);
      expect(digest(reread.view.trigger.body)).toBe(digest(JSON.parse(text)));
      expect(digest(reread.view.steps[0].input)).toBe(digest(JSON.parse(text)));
      const replay = await hookflow.api.api<{ executionId: string }>(
        'POST',
        `/api/deliveries/${view.deliveryId}/replay`,
        { body: {} },
      );
      expect(replay.status).toBe(202);
      const again = await finished(replay.body.executionId);
      expect(again.view.status).toBe('succeeded');
      expect(digest(again.view.trigger.body)).toBe(digest(JSON.parse(text)));
      expect(digest(again.view.steps[0].output)).toBe(digest(JSON.parse(text)));
      // The replay goes through the intake's accept: its JSON body is stored once, in its
      // delivery row, the execution only refers to it (as the original's does).
      const sizes = await storedSizes(hookflow.env, replay.body.executionId);
      expect(sizes).toEqual({
        state: expect.any(Number),
        steps: expect.any(Number),
        payload: '@delivery'.length,
      });
      expect(sizes.state).toBeLessThan(10_000);
      expect((await storedSizes(hookflow.env, id)).payload).toBe('@delivery'.length);
    }, 120_000);

    it('writes a when-finished big delivery with the status it was answered, not once more', async () => {
      const imported = await hookflow.api.api<{ triggers: Array<{ path: string }> }>(
        'POST',
        '/api/flows/import',
        {
          body: {
            format: 'hookflow.flow/v1',
            name: 'big payload answered',
            nodes: [
              { id: 'hook', type: 'trigger.webhook', params: { respond: 'when-finished' } },
              { id: 'answer', type: 'respond', params: { status: 201 } },
            ],
            edges: [{ from: 'hook', to: 'answer' }],
          },
        },
      );
      expect(imported.status).toBe(201);
      const path = imported.body.triggers[0].path;
      const sqlitePath = hookflow.env.HOOKFLOW_SQLITE_PATH;
      // SQLite: count what rewrites a delivery row (an UPDATE rewrites the whole row, body too).
      if (sqlitePath) {
        const db = new Database(sqlitePath);
        try {
          db.exec(
            'CREATE TABLE test_delivery_rewrites (id TEXT); ' +
              'CREATE TRIGGER test_delivery_rewrites AFTER UPDATE ON deliveries ' +
              'BEGIN INSERT INTO test_delivery_rewrites VALUES (new.id); END',
          );
        } finally {
          db.close();
        }
      }
      const text = bigJson(2 * 1024 * 1024, false);
      const answer = await hookflow.api.post(path, text, { 'content-type': 'application/json' });
      expect(answer.status).toBe(201);
      // Any write submitted before the answer went out is committed once a later one is.
      const later = await hookflow.api.post(path, '{}', { 'content-type': 'application/json' });
      expect(later.status).toBe(201);
      const deliveries = await waitFor(
        'both deliveries logged as answered',
        async () => {
          const found = await hookflow.api.api<{
            items: Array<{ status: number; sizeBytes: number }>;
          }>('GET', `/api/deliveries?hookId=${path.split('/').pop() ?? ''}`);
          const statuses = found.body.items.map((delivery) => delivery.status);
          return statuses.length === 2 && statuses.every((status) => status === 201)
            ? found.body.items
            : undefined;
        },
        { attempts: 100, intervalMs: 50 },
      );
      expect(deliveries.some((delivery) => delivery.sizeBytes === Buffer.byteLength(text))).toBe(
        true,
      );
      if (sqlitePath) {
        const db = new Database(sqlitePath);
        try {
          const rewrites = db.prepare('SELECT count(*) AS n FROM test_delivery_rewrites').get() as {
            n: number;
          };
          expect(rewrites.n).toBe(0);
        } finally {
          db.exec('DROP TRIGGER test_delivery_rewrites; DROP TABLE test_delivery_rewrites');
          db.close();
        }
      }
    }, 120_000);

    it('verifies a signature over a big body, stores its text byte for byte and replays it', async () => {
      const credential = await hookflow.api.api<{ name: string }>('POST', '/api/credentials', {
        body: { name: `big-gh-${Date.now()}`, type: 'hmac-secret', data: { secrets: ['s3cret'] } },
      });
      expect(credential.status).toBe(201);
      const flow = bigPayloadFlow();
      const auth = { scheme: 'github', credential: credential.body.name };
      const nodes = [
        { ...flow.nodes[0], params: { respond: 'immediately', auth } },
        ...flow.nodes.slice(1),
      ];
      const imported = await hookflow.api.api<{ triggers: Array<{ path: string }> }>(
        'POST',
        '/api/flows/import',
        { body: { ...flow, nodes, name: 'big signed payload' } },
      );
      expect(imported.status).toBe(201);
      const path = imported.body.triggers[0].path;
      // Multi-byte UTF-8 throughout (NOTE), so a text/bytes mix-up would show.
      const text = bigJson(3 * 1024 * 1024, false);
      const sign = (body: string) =>
        `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
      const forged = await hookflow.api.post(path, text, {
        'content-type': 'application/json',
        'x-hub-signature-256': sign(`${text} `),
      });
      expect(forged.status).toBe(401);
      const answer = await hookflow.api.post(path, text, {
        'content-type': 'application/json',
        'x-hub-signature-256': sign(text),
      });
      expect(answer.status).toBe(202);
      const { view } = await finished((answer.body as { executionId: string }).executionId);
      expect(view.status).toBe('succeeded');
      expect(digest(view.trigger.body)).toBe(digest(JSON.parse(text)));
      // Stored as text (SQLite: the checked bytes are bound and cast, never kept as a blob), in
      // parts of at most 1 MiB, each cut on a character boundary (else a part would not be text).
      const stored = await storedBody(hookflow.env, view.deliveryId);
      expect(stored).toEqual({
        type: 'text',
        body: text,
        parts: expect.any(Number),
        partsFound: stored.parts,
        rowBody: null,
        biggestPart: expect.any(Number),
      });
      expect(stored.parts).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(text) / 1048576));
      expect(stored.biggestPart).toBeLessThanOrEqual(1024 * 1024);
      // The delivery as its owner reads it: the body put together (capped at 1 MiB there).
      const detail = await hookflow.api.api<{ body: string; bodyTruncated: boolean }>(
        'GET',
        `/api/deliveries/${view.deliveryId}`,
      );
      expect(detail.body.bodyTruncated).toBe(true);
      expect(text.startsWith(detail.body.body)).toBe(true);
      const replay = await hookflow.api.api<{ executionId: string }>(
        'POST',
        `/api/deliveries/${view.deliveryId}/replay`,
        { body: {} },
      );
      expect(replay.status).toBe(202);
      const again = await finished(replay.body.executionId);
      expect(again.view.status).toBe('succeeded');
      expect(digest(again.view.trigger.body)).toBe(digest(JSON.parse(text)));
      const copy = await storedBody(hookflow.env, again.view.deliveryId);
      expect(copy).toEqual({ ...stored, biggestPart: expect.any(Number) });
    }, 120_000);
  });
});
