import { RUN_STATE_FORMAT, type RunState, type StepRecord } from '@hookflow/engine';
import { Database, ExecutionsRepository } from '@hookflow/store';
import { insertSql } from '../libs/store/src/raw-sql';
import { RowsInsert } from '../libs/store/src/write-plan';
import { postgres, type TestDatabase } from './support/databases';

/**
 * The writes of one turn of the event loop on PostgreSQL. The group commit sends a turn's plans
 * as one statement, the plain INSERTs of unguarded plans (the intake's rows) merged into one
 * multi-row INSERT per table. PostgreSQL writes the checkpoints and final records of one turn of the event loop as one
 * prepared statement (arrays, `unnest`). Each run keeps its own guard inside it: only the lease
 * holder of an unfinished run writes, and a run's steps are written only with its row.
 */
const skip = process.env.HOOKFLOW_TEST_POSTGRES_SKIP;
const onPostgres = skip === undefined || skip === '' ? describe : describe.skip;

const FLOW = 'flow-checkpoint-batch';

function stateOf(id: string, nextSeq: number, outcome?: RunState['outcome']): RunState {
  return {
    format: RUN_STATE_FORMAT,
    trigger: {
      method: 'POST',
      path: '/hooks/x',
      headers: {},
      query: {},
      body: { id, quote: `it's "quoted" \\ and {braced}` },
      receivedAt: '2026-12-03T10:00:00.000Z',
    },
    execution: { id, flowId: FLOW, versionId: 'v1', attempt: 1 },
    queue: outcome ? [] : [{ nodeId: 'call', input: { id } }],
    outputs: { map: { id } },
    nextSeq,
    ...(outcome ? { outcome } : {}),
  };
}

function step(seq: number, nodeId: string, output: unknown): StepRecord {
  return {
    seq,
    nodeId,
    nodeType: 'transform',
    input: { seq },
    startedAt: '2026-12-03T10:00:00.000Z',
    finishedAt: '2026-12-03T10:00:00.001Z',
    attempt: 1,
    status: 'succeeded',
    port: 'main',
    output: output as StepRecord['input'],
  };
}

onPostgres(`writes of one turn on PostgreSQL${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let target: TestDatabase;
  let database: Database;
  let executions: ExecutionsRepository;

  beforeAll(async () => {
    target = await postgres.create();
    database = await Database.open({ kind: 'postgres', url: target.env.DATABASE_URL });
    executions = new ExecutionsRepository(database);
    const now = new Date();
    for (const id of ['run-a', 'run-b', 'run-c', 'run-d']) {
      await database.dataSource.query(
        'INSERT INTO executions (id, flow_id, flow_version_id, status, state, attempt, ' +
          "created_at, lease_owner, lease_until, updated_at) VALUES ($1, $2, 'v1', $3, $4, 1, " +
          '$5, $6, $7, $5)',
        [
          id,
          FLOW,
          id === 'run-d' ? 'succeeded' : 'running',
          JSON.stringify(stateOf(id, 1)),
          now,
          'me',
          new Date(now.getTime() + 60_000),
        ],
      );
    }
  });

  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });

  it('plans each statement with its values, so a plan made on an empty table does not stay', async () => {
    // Five runs of a named statement on an empty table, then a generic plan would be cached:
    // a scan of the table on every later run, however big it grows.
    const connections = await Promise.all(
      Array.from({ length: 3 }, () =>
        database.manager.query<Array<{ plan_cache_mode: string }>>('SHOW plan_cache_mode'),
      ),
    );
    for (const rows of connections) expect(rows[0].plan_cache_mode).toBe('force_custom_plan');
  });

  it('writes each checkpoint and final record with its steps, and refuses per run what its guard refuses', async () => {
    const leaseUntil = new Date(Date.now() + 60_000);
    const failure = { code: 'http_error', message: 'the sink said no' };
    // All in one turn: one statement.
    const [a, b, c, d] = await Promise.all([
      executions.checkpoint({
        executionId: 'run-a',
        owner: 'me',
        steps: [{ record: step(1, 'map', { id: 'run-a' }) }],
        state: stateOf('run-a', 2),
        leaseUntil,
      }),
      executions.checkpoint({
        executionId: 'run-b',
        owner: 'me',
        steps: [
          { record: step(1, 'map', { id: 'run-b' }) },
          { record: step(2, 'call', { ok: false }), inputFrom: 1 },
        ],
        state: stateOf('run-b', 3, { status: 'failed', error: failure }),
        leaseUntil,
      }),
      // Another runner holds run-c's lease: nothing of this may be written.
      executions.checkpoint({
        executionId: 'run-c',
        owner: 'someone-else',
        steps: [{ record: step(1, 'map', { id: 'run-c' }) }],
        state: stateOf('run-c', 2),
        leaseUntil,
      }),
      // run-d has finished: a late checkpoint is refused.
      executions.checkpoint({
        executionId: 'run-d',
        owner: 'me',
        steps: [{ record: step(1, 'map', { id: 'run-d' }) }],
        state: stateOf('run-d', 2),
        leaseUntil,
      }),
    ]);
    expect([a, b, c, d]).toEqual([true, true, false, false]);

    const runA = await executions.get('run-a');
    expect(runA).toMatchObject({ status: 'running', leaseOwner: 'me', finishedAt: null });
    expect(runA?.state.nextSeq).toBe(2);
    expect(runA?.leaseUntil?.getTime()).toBe(leaseUntil.getTime());
    expect(runA?.startedAt).not.toBeNull();
    expect(await executions.steps('run-a')).toEqual([
      expect.objectContaining({ seq: 1, nodeId: 'map', output: { id: 'run-a' } }),
    ]);

    const runB = await executions.get('run-b');
    expect(runB).toMatchObject({
      status: 'failed',
      error: failure,
      leaseOwner: null,
      leaseUntil: null,
    });
    expect(runB?.finishedAt).not.toBeNull();
    // The final record keeps the state small: the outputs live in the step rows.
    expect(runB?.state.outputs).toEqual({});
    expect(runB?.state.trigger.body).toEqual(stateOf('run-b', 1).trigger.body);
    const stepsB = await executions.steps('run-b');
    expect(stepsB.map((row) => row.seq)).toEqual([1, 2]);
    // An input that is an earlier step's output is stored once, as a reference, and read back.
    expect(stepsB[1].input).toEqual({ id: 'run-b' });

    for (const id of ['run-c', 'run-d']) {
      expect(await executions.steps(id)).toEqual([]);
      expect((await executions.get(id))?.state.nextSeq).toBe(1);
    }
  });

  it('answers each run on its own when the statement fails (a step that exists already)', async () => {
    const leaseUntil = new Date(Date.now() + 60_000);
    const [again, fresh] = await Promise.allSettled([
      // run-a's step 1 was written above: this checkpoint cannot be.
      executions.checkpoint({
        executionId: 'run-a',
        owner: 'me',
        steps: [{ record: step(1, 'map', { id: 'run-a', again: true }) }],
        state: stateOf('run-a', 2),
        leaseUntil,
      }),
      executions.checkpoint({
        executionId: 'run-c',
        owner: 'me',
        steps: [],
        state: stateOf('run-c', 5),
        leaseUntil,
      }),
    ]);
    // run-c (its lease holder this time) is written all the same, not spoiled by run-a.
    expect(fresh).toEqual({ status: 'fulfilled', value: true });
    expect((await executions.get('run-c'))?.state.nextSeq).toBe(5);
    expect(again.status === 'rejected' || again.value === false).toBe(true);
    expect(await executions.steps('run-a')).toEqual([
      expect.objectContaining({ seq: 1, output: { id: 'run-a' } }),
    ]);
  });
  it('merges the plain INSERTs of unguarded plans and still answers each plan on its own', async () => {
    await database.dataSource.query(
      'CREATE TABLE batch_rows (id varchar(36) PRIMARY KEY, note text)',
    );
    const batch = database.postgresBatch;
    if (!batch) throw new Error('PostgreSQL has a group commit');
    const rows = new RowsInsert('batch_rows', ['id', 'note']);
    const answers = await Promise.all([
      batch.submit({ then: [insertSql('batch_rows', { id: 'a', note: `it's "a"` })] }),
      batch.submit({
        then: [
          rows.of([
            ['b', null],
            ['c', 'c'],
          ]),
          rows.of([]),
        ],
      }),
      // A guard that changes nothing: its row is not written, the others are.
      batch.submit({
        guard: ["UPDATE batch_rows SET note = 'never' WHERE id = ?", ['nobody']],
        then: [insertSql('batch_rows', { id: 'g', note: 'guarded' })],
      }),
      batch.submit({ then: [insertSql('batch_rows', { id: 'd', note: 'd' })] }),
    ]);
    expect(answers).toEqual([true, true, false, true]);
    const stored = await database.dataSource.query<Array<{ id: string; note: string | null }>>(
      'SELECT id, note FROM batch_rows ORDER BY id',
    );
    expect(stored).toEqual([
      { id: 'a', note: `it's "a"` },
      { id: 'b', note: null },
      { id: 'c', note: 'c' },
      { id: 'd', note: 'd' },
    ]);

    // A row that exists already spoils the merged statement: each plan goes again alone.
    const [taken, fresh] = await Promise.allSettled([
      batch.submit({ then: [insertSql('batch_rows', { id: 'a', note: 'again' })] }),
      batch.submit({ then: [insertSql('batch_rows', { id: 'e', note: 'e' })] }),
    ]);
    expect(taken.status).toBe('rejected');
    expect(fresh).toEqual({ status: 'fulfilled', value: true });
    const after = await database.dataSource.query<Array<{ id: string; note: string }>>(
      "SELECT id, note FROM batch_rows WHERE id IN ('a', 'e') ORDER BY id",
    );
    expect(after).toEqual([
      { id: 'a', note: `it's "a"` },
      { id: 'e', note: 'e' },
    ]);
  });
});
