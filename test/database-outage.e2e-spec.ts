import type BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { Database } from '@hookflow/store';
import { POSTGRES_ADMIN_URL, postgres, sqlite, type TestDatabase } from './support/databases';
import { metricValue } from './support/metrics';
import { startSink, type Sink } from './support/sink';
import { startTestApp, type HttpAnswer, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * A database outage is "try again later": every request that needs the database answers 503 with
 * Retry-After (never 500), the outage is logged once and counted, and service resumes by itself.
 * Every delivery answered 202 runs exactly once; nothing answered 503 runs.
 */

const METRICS_TOKEN = 'outage-metrics-token-0123456789';

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

/** `padding`: a flow big enough to need new pages of a full SQLite file. */
function flowTo(sinkUrl: string, padding = '') {
  return {
    format: 'hookflow.flow/v1',
    name: 'outage',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'map', type: 'transform', params: { expression: `{ 'n': n${padding} }` } },
      { id: 'notify', type: 'http.request', params: { method: 'POST', url: `${sinkUrl}/n` } },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'notify' },
    ],
  };
}

/** The numbers the sink received, with how often, by idempotency key. */
function receivedByNumber(sink: Sink): Map<number, Set<string>> {
  const byNumber = new Map<number, Set<string>>();
  for (const request of sink.received) {
    const n = (JSON.parse(request.body) as { n: number }).n;
    const keys = byNumber.get(n) ?? new Set<string>();
    keys.add(String(request.headers['idempotency-key']));
    byNumber.set(n, keys);
  }
  return byNumber;
}

function describeOutage(
  name: string,
  target: typeof sqlite,
  outageOf: (hookflow: TestApp, database: TestDatabase) => Outage,
): void {
  describe(`database outage: ${name}`, () => {
    let database: TestDatabase;
    let hookflow: TestApp;
    let sink: Sink;
    const logLines: string[] = [];

    beforeAll(async () => {
      sink = await startSink();
      database = await target.create();
      hookflow = await startTestApp(
        { ...database.env, HOOKFLOW_METRICS_TOKEN: METRICS_TOKEN },
        logLines,
      );
    });
    afterAll(async () => {
      await hookflow?.close();
      await database?.drop();
      await sink?.close();
    });

    it('answers 503 + Retry-After while it lasts, logs it once, and every 202 runs exactly once', async () => {
      const imported = await hookflow.api<FlowView>('POST', '/api/flows/import', {
        body: flowTo(sink.url),
      });
      expect(imported.status).toBe(201);
      const path = imported.body.triggers[0].path;
      const accepted: number[] = [];
      const answers: HttpAnswer[] = [];
      let n = 0;
      const deliver = async () => {
        n += 1;
        const answer = await hookflow.post(path, JSON.stringify({ n }));
        answers.push(answer);
        if (answer.status === 202) accepted.push(n);
        return answer;
      };

      for (let i = 0; i < 10; i++) expect((await deliver()).status).toBe(202);
      const outage = outageOf(hookflow, database);
      await outage.begin();
      const refused = await waitFor(
        'a delivery to be refused',
        async () => {
          const answer = await deliver();
          return answer.status === 503 ? answer : undefined;
        },
        { attempts: 2000, intervalMs: 1 },
      );
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toMatchObject({ error: { code: 'database_unavailable' } });
      for (let i = 0; i < 20; i++) expect((await deliver()).status).toBe(503);
      const ready = await hookflow.api<{ details: Record<string, { status: string }> }>(
        'GET',
        '/health/ready',
        { auth: false },
      );
      expect(ready.status).toBe(503);
      expect(ready.body.details.database.status).toBe('down');
      const write = await hookflow.api('POST', '/api/flows/import', {
        body: flowTo(sink.url, `, 'pad': '${'x'.repeat(60_000)}'`),
      });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('5');
      expect(write.body).toMatchObject({ error: { code: 'database_unavailable' } });

      await outage.end();
      await waitFor(
        'deliveries to be accepted again',
        async () => ((await deliver()).status === 202 ? true : undefined),
        { attempts: 100, intervalMs: 100 },
      );
      for (let i = 0; i < 10; i++) expect((await deliver()).status).toBe(202);
      expect((await hookflow.api('GET', '/health/ready', { auth: false })).status).toBe(200);

      // Never a 500: only "accepted" or "try again later".
      expect(answers.filter((answer) => answer.status !== 202 && answer.status !== 503)).toEqual(
        [],
      );
      // Every accepted delivery reaches the sink once (a repeat only with its idempotency key);
      // nothing refused does.
      await waitFor('every accepted run to call the sink', async () =>
        receivedByNumber(sink).size >= accepted.length ? true : undefined,
      );
      const received = receivedByNumber(sink);
      expect([...received.keys()].sort((a, b) => a - b)).toEqual(accepted);
      for (const keys of received.values()) expect(keys.size).toBe(1);

      const metrics = await hookflow.api<string>('GET', '/metrics', {
        auth: `Bearer ${METRICS_TOKEN}`,
      });
      expect(metricValue(metrics.body, 'hookflow_database_unavailable_total')).toBeGreaterThan(0);
      const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages.filter((msg) => msg.startsWith('database unavailable'))).toHaveLength(1);
      expect(messages.filter((msg) => msg.startsWith('database is back'))).toHaveLength(1);
    });
  });
}

describeOutage('SQLite full', sqlite, (hookflow) => {
  const connection = () =>
    (
      hookflow.app.get(Database).dataSource.driver as unknown as {
        databaseConnection: BetterSqlite3.Database;
      }
    ).databaseConnection;
  return {
    async begin() {
      const db = connection();
      // The file may not grow: the next page the writes need makes them fail with SQLITE_FULL.
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    },
    async end() {
      const db = connection();
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.pragma('max_page_count = 1073741823');
    },
  };
});

describeOutage('PostgreSQL refuses connections', postgres, (_hookflow, database) => {
  const name = new URL(database.env.DATABASE_URL).pathname.slice(1);
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    async begin() {
      // As in a restart: open connections are terminated (57P01) and new ones refused.
      await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
      );
    },
    async end() {
      await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    },
  };
});
