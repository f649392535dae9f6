import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, RetentionService } from '@hookflow/store';
import { dbTime, execute, insertSql, select, type SqlValue } from '../libs/store/src/raw-sql';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}
interface Page {
  total: number;
  items: Array<{ id: string; deliveryId: string | null }>;
}

const HOUR = 3_600_000;
const RETENTION_ENV = {
  HOOKFLOW_RETENTION_MAX_AGE: '1h',
  HOOKFLOW_RETENTION_FAILED_MAX_AGE: '3h',
  HOOKFLOW_RETENTION_MAX_PER_FLOW: '5',
  // The timer never fires during a test: each test runs its pass itself.
  HOOKFLOW_RETENTION_INTERVAL: '1d',
  HOOKFLOW_RETENTION_BATCH: '50',
  // Room for a body stored in parts (over 1 MiB).
  HOOKFLOW_MAX_BODY_BYTES: String(4 * 1024 * 1024),
};

function echoFlow(name: string) {
  return {
    format: 'hookflow.flow/v1',
    name,
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { respond: 'immediately' } },
      { id: 'map', type: 'transform', params: { expression: "{ 'n': n }" } },
    ],
    edges: [{ from: 'hook', to: 'map' }],
  };
}

eachDatabase((target) => {
  let db: TestDatabase;
  let app: TestApp;
  let database: Database;
  let retention: RetentionService;

  beforeAll(async () => {
    db = await target.create();
    app = await startTestApp({ ...db.env, ...RETENTION_ENV });
    database = app.app.get(Database);
    retention = app.app.get(RetentionService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const sql = (text: string, parameters: SqlValue[]) =>
    database.transaction((manager) => execute(manager, database.kind, text, parameters));
  const read = <Row>(text: string, parameters: SqlValue[] = []) =>
    select<Row>(database.dataSource, database.kind, text, parameters);
  const at = (date: Date) => dbTime(database.kind, date);
  const count = async (table: string, where = '1 = 1', parameters: SqlValue[] = []) =>
    Number(
      (
        await read<{ n: number | string }>(
          `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
          parameters,
        )
      )[0].n,
    );

  async function flowWithRuns(name: string, runs: number) {
    const imported = await app.api<FlowView>('POST', '/api/flows/import', { body: echoFlow(name) });
    expect(imported.status).toBe(201);
    const flowId = imported.body.id;
    const path = imported.body.triggers[0].path;
    for (let n = 0; n < runs; n += 1) {
      expect((await app.post(path, JSON.stringify({ n }))).status).toBe(202);
    }
    const page = await waitFor(`${runs} succeeded runs of ${name}`, async () => {
      const answer = await app.api<Page>(
        'GET',
        `/api/executions?flowId=${flowId}&status=succeeded&limit=100`,
      );
      return answer.body.total === runs ? answer.body : undefined;
    });
    return { flowId, path, hookId: path.split('/').pop() ?? '', executions: page.items };
  }

  /** Makes a run look as if it had ended `ageMs` ago with `status` (or never, for unfinished). */
  async function age(id: string, status: string, ageMs: number) {
    const when = new Date(Date.now() - ageMs);
    const finished = ['succeeded', 'failed', 'cancelled'].includes(status) ? at(when) : null;
    await sql('UPDATE executions SET status = ?, created_at = ?, finished_at = ? WHERE id = ?', [
      status,
      at(when),
      finished,
      id,
    ]);
  }

  const exists = async (id: string) =>
    (await app.api('GET', `/api/executions/${id}`)).status === 200;

  it('prunes finished runs by age with their steps and deliveries, keeps failed runs longer and never touches unfinished ones', async () => {
    const { executions, hookId } = await flowWithRuns('ages', 6);
    const [oldOk, recentOk, failed2h, failed4h, waiting, cancelled] = executions;
    await age(oldOk.id, 'succeeded', 2 * HOUR);
    await age(recentOk.id, 'succeeded', 0.5 * HOUR);
    await age(failed2h.id, 'failed', 2 * HOUR);
    await age(failed4h.id, 'failed', 4 * HOUR);
    await age(waiting.id, 'waiting', 10 * HOUR);
    await age(cancelled.id, 'cancelled', 2 * HOUR);
    const refusedOld = randomUUID();
    const refusedNew = randomUUID();
    for (const [id, ageMs] of [
      [refusedOld, 2 * HOUR],
      [refusedNew, 0.5 * HOUR],
    ] as const) {
      await sql(
        ...insertSql('deliveries', {
          id,
          hook_id: hookId,
          flow_id: null,
          received_at: at(new Date(Date.now() - ageMs)),
          method: 'POST',
          headers: '{}',
          query: '{}',
          content_type: 'application/json',
          size_bytes: 2,
          body: '{}',
          status: 401,
          reason: 'signature mismatch',
          execution_id: null,
          replay_of: null,
        }),
      );
    }
    expect(await count('execution_steps', 'execution_id = ?', [oldOk.id])).toBeGreaterThan(0);

    const report = await retention.pruneOnce();

    expect(report.executions).toBe(3);
    expect(await exists(oldOk.id)).toBe(false);
    expect(await exists(failed4h.id)).toBe(false);
    expect(await exists(cancelled.id)).toBe(false);
    expect(await exists(recentOk.id)).toBe(true);
    expect(await exists(failed2h.id)).toBe(true);
    expect(await exists(waiting.id)).toBe(true);
    for (const gone of [oldOk, failed4h, cancelled]) {
      expect(await count('execution_steps', 'execution_id = ?', [gone.id])).toBe(0);
      expect((await app.api('GET', `/api/deliveries/${gone.deliveryId}`)).status).toBe(404);
    }
    expect((await app.api('GET', `/api/deliveries/${recentOk.deliveryId}`)).status).toBe(200);
    expect((await app.api('GET', `/api/deliveries/${refusedOld}`)).status).toBe(404);
    expect((await app.api('GET', `/api/deliveries/${refusedNew}`)).status).toBe(200);
  });

  it('deletes the parts of a big body with its delivery, accepted or refused, and keeps those of a recent one', async () => {
    const imported = await app.api<FlowView>('POST', '/api/flows/import', {
      body: echoFlow('big bodies'),
    });
    expect(imported.status).toBe(201);
    const path = imported.body.triggers[0].path;
    const big = (n: number) => JSON.stringify({ n, pad: 'é'.repeat(700 * 1024) });
    for (const n of [1, 2]) expect((await app.post(path, big(n))).status).toBe(202);
    // Refused (415: a Content-Type no trigger reads), and logged with its body all the same.
    const refused = await app.post(path, big(3), { 'content-type': 'application/x-unknown' });
    expect(refused.status).toBe(415);
    const page = await waitFor('2 succeeded runs of big bodies', async () => {
      const answer = await app.api<Page>(
        'GET',
        `/api/executions?flowId=${imported.body.id}&status=succeeded&limit=10`,
      );
      return answer.body.total === 2 ? answer.body : undefined;
    });
    const [newer, older] = page.items;
    const partsOf = (deliveryId: string | null) =>
      count('delivery_body_parts', 'delivery_id = ?', [deliveryId ?? '']);
    const refusedRow = await read<{ id: string }>(
      'SELECT id FROM deliveries WHERE hook_id = ? AND execution_id IS NULL',
      [path.split('/').pop() ?? ''],
    );
    expect(refusedRow).toHaveLength(1);
    for (const deliveryId of [newer.deliveryId, older.deliveryId, refusedRow[0].id]) {
      expect(await partsOf(deliveryId)).toBe(2);
    }
    await age(older.id, 'succeeded', 2 * HOUR);
    await sql('UPDATE deliveries SET received_at = ? WHERE id = ?', [
      at(new Date(Date.now() - 2 * HOUR)),
      refusedRow[0].id,
    ]);

    await retention.pruneOnce();

    expect(await partsOf(older.deliveryId)).toBe(0);
    expect(await partsOf(refusedRow[0].id)).toBe(0);
    expect(await partsOf(newer.deliveryId)).toBe(2);
    const kept = await app.api<{ body: string }>('GET', `/api/deliveries/${newer.deliveryId}`);
    expect(kept.status).toBe(200);
    expect(kept.body.body.startsWith('{"n":')).toBe(true);
  });

  it('keeps at most the configured number of runs per flow, newest first, failures counted apart', async () => {
    const { executions } = await flowWithRuns('count', 9);
    // Distinct creation times, all recent: only the count limit (5) applies.
    const ordered = executions.map((execution, index) => ({ ...execution, index }));
    for (const { id, index } of ordered) {
      const created = at(new Date(Date.now() - (10 - index) * 60_000));
      await sql('UPDATE executions SET created_at = ? WHERE id = ?', [created, id]);
    }
    // Two failures must survive although seven successes are newer than... some of them.
    await sql("UPDATE executions SET status = 'failed' WHERE id IN (?, ?)", [
      ordered[0].id,
      ordered[1].id,
    ]);

    await retention.pruneOnce();

    const kept = await Promise.all(ordered.map(({ id }) => exists(id)));
    // Successes: indexes 2..8 (7 of them), the 5 newest (4..8) stay; both failures stay.
    expect(kept).toEqual([true, true, false, false, true, true, true, true, true]);
  });

  it('deletes dedup keys only once their window has closed', async () => {
    const { flowId, executions } = await flowWithRuns('dedup', 1);
    const key = (name: string, expiresInMs: number) =>
      sql(
        ...insertSql('delivery_keys', {
          flow_id: flowId,
          key: name,
          execution_id: executions[0].id,
          delivery_id: executions[0].deliveryId ?? '',
          created_at: at(new Date(Date.now() - 2 * HOUR)),
          expires_at: at(new Date(Date.now() + expiresInMs)),
        }),
      );
    await key('closed', -60_000);
    await key('open', HOUR);

    const report = await retention.pruneOnce();

    expect(report.deliveryKeys).toBe(1);
    const keys = await read<{ key: string }>('SELECT key FROM delivery_keys WHERE flow_id = ?', [
      flowId,
    ]);
    expect(keys.map((row) => row.key)).toEqual(['open']);
  });

  /** Old finished runs with a 4 KiB step each, written straight to the database. */
  async function seedOldRuns(flowId: string, runs: number) {
    const versions = await read<{ id: string }>('SELECT id FROM flow_versions WHERE flow_id = ?', [
      flowId,
    ]);
    const old = at(new Date(Date.now() - 2 * HOUR));
    const payload = JSON.stringify({ text: 'x'.repeat(4096) });
    for (let start = 0; start < runs; start += 250) {
      await database.transaction(async (manager) => {
        for (let index = start; index < Math.min(start + 250, runs); index += 1) {
          const id = randomUUID();
          await execute(
            manager,
            database.kind,
            ...insertSql('executions', {
              id,
              flow_id: flowId,
              flow_version_id: versions[0].id,
              delivery_id: null,
              status: 'succeeded',
              state: '{}',
              error: null,
              attempt: 1,
              created_at: old,
              started_at: old,
              finished_at: old,
              job_id: id,
              updated_at: old,
            }),
          );
          await execute(
            manager,
            database.kind,
            ...insertSql('execution_steps', {
              execution_id: id,
              seq: 0,
              node_id: 'map',
              node_type: 'transform',
              status: 'succeeded',
              port: 'main',
              input: payload,
              output: payload,
              error: null,
              attempt: 1,
              started_at: old,
              finished_at: old,
            }),
          );
        }
      });
    }
  }

  it('answers webhooks between the batches of a large prune', async () => {
    const { flowId, path } = await flowWithRuns('busy', 1);
    await seedOldRuns(flowId, 1000);
    let batches = 0;
    let answeredDuringPrune: number | undefined;

    const report = await retention.pruneOnce({
      afterBatch: async () => {
        batches += 1;
        // The pruner holds no transaction here: a delivery must get in and be answered.
        if (batches === 1) answeredDuringPrune = (await app.post(path, '{"n":1}')).status;
      },
    });

    expect(answeredDuringPrune).toBe(202);
    expect(report.executions).toBe(1000);
    expect(batches).toBeGreaterThanOrEqual(1000 / 50);
    await waitFor('the delivery accepted mid-prune to run', async () => {
      const page = await app.api<Page>('GET', `/api/executions?flowId=${flowId}&status=succeeded`);
      return page.body.total === 2 ? true : undefined;
    });
  });

  if (target.name === 'sqlite') {
    it('gives the freed space back: the SQLite file shrinks', async () => {
      const { flowId } = await flowWithRuns('space', 1);
      await seedOldRuns(flowId, 2000);
      await database.outsideTransactions(() =>
        database.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)'),
      );
      const file = db.env.HOOKFLOW_SQLITE_PATH;
      const pages = async () =>
        Number((await read<{ page_count: number }>('PRAGMA page_count'))[0].page_count);
      const pagesBefore = await pages();
      const bytesBefore = statSync(file).size;

      const report = await retention.pruneOnce();

      expect(report.executions).toBe(2000);
      expect(report.reclaimedPages).toBeGreaterThan(0);
      const freelist = await read<{ freelist_count: number }>('PRAGMA freelist_count');
      expect(Number(freelist[0].freelist_count)).toBe(0);
      expect(await pages()).toBeLessThan(pagesBefore / 2);
      expect(statSync(file).size).toBeLessThan(bytesBefore / 2);
    });
  }
});

describe('an SQLite file created before incremental vacuum', () => {
  it('is rebuilt once on open, so pruning can shrink it, and keeps its rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-vacuum-'));
    try {
      const path = join(dir, 'old.db');
      const legacy = new BetterSqlite3(path);
      legacy.exec("CREATE TABLE legacy (v TEXT); INSERT INTO legacy (v) VALUES ('kept')");
      expect(legacy.pragma('auto_vacuum', { simple: true })).toBe(0);
      legacy.close();

      const database = await Database.open({ kind: 'sqlite', path });
      try {
        const mode = await database.dataSource.query('PRAGMA auto_vacuum');
        expect(mode).toEqual([{ auto_vacuum: 2 }]);
        expect(await database.dataSource.query('SELECT v FROM legacy')).toEqual([{ v: 'kept' }]);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
