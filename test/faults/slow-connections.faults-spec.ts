import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { sqlite, type TestDatabase } from '../support/databases';
import { freePort, startChildApp, type ChildApp } from '../support/child-app';
import { TEST_API_KEY, call } from '../support/test-app';

/**
 * 1,000 connections from one address (127.0.0.2) send their headers and then one body byte every
 * 5 s, while a genuine sender posts from another (127.0.0.3). With the defaults (128 requests at
 * once per client, 500 bytes/s after 2 s, 10 s for a body) the genuine deliveries are answered
 * 202 at their usual latency and every slow connection is closed well before the body deadline.
 */

const SLOW = 1000;
const GENUINE = 200;
/** Every slow connection is closed within the body deadline (10 s) plus this margin. */
const CLOSE_MARGIN_MS = 3000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Genuine deliveries one after another from 127.0.0.3; answers their latencies in ms. */
async function genuineDeliveries(url: string, path: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 0; n < GENUINE; n++) {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        {
          method: 'POST',
          localAddress: '127.0.0.3',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ n }));
    });
    expect(status).toBe(202);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

describe('fault: 1,000 slow connections from one address', () => {
  let database: TestDatabase;
  let app: ChildApp;

  beforeAll(async () => {
    database = await sqlite.create();
    app = await startChildApp(database.env, await freePort());
  }, 60_000);
  afterAll(async () => {
    await app?.kill('SIGKILL');
    await database?.drop();
  });

  it('serves a genuine sender at its usual latency and closes every slow connection', async () => {
    const created = await call<{ triggers: Array<{ path: string }> }>(
      `${app.url}/api/flows`,
      'POST',
      {
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'slowloris',
          nodes: [{ id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' } } }],
          edges: [],
        }),
      },
    );
    expect(created.status).toBe(201);
    const path = created.body.triggers[0].path;
    const { hostname, port } = new URL(app.url);

    const baseline = await genuineDeliveries(app.url, path);

    const sockets: Socket[] = [];
    const answers: string[] = [];
    const closedAfter: number[] = [];
    const attackStarted = performance.now();
    const allClosed = Promise.all(
      Array.from({ length: SLOW }, () => {
        const socket = connect({ host: hostname, port: Number(port), localAddress: '127.0.0.2' });
        sockets.push(socket);
        socket.write(
          `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n` +
            'content-length: 1000\r\n\r\n',
        );
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        return new Promise<void>((resolve) =>
          socket.on('close', () => {
            answers.push(answer.slice(0, 12));
            closedAfter.push(performance.now() - attackStarted);
            resolve();
          }),
        );
      }),
    );
    // One byte every 5 s on each connection still open (bounded: they are all closed by then).
    const trickle = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write('x');
    }, 5000);
    try {
      const underAttack = await genuineDeliveries(app.url, path);
      const report = {
        baselineP50: percentile(baseline, 50),
        baselineP99: percentile(baseline, 99),
        underAttackP50: percentile(underAttack, 50),
        underAttackP99: percentile(underAttack, 99),
      };
      console.log(`genuine latency (ms): ${JSON.stringify(report)}`);

      const deadline = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, 10_000 + CLOSE_MARGIN_MS);
      await allClosed;
      clearTimeout(deadline);
      const byStatus = new Map<string, number>();
      for (const answer of answers) byStatus.set(answer, (byStatus.get(answer) ?? 0) + 1);
      console.log(`slow connections closed: ${JSON.stringify(Object.fromEntries(byStatus))}`);
      // Each was answered by the server (429 at once, or 408 when cut), none by our own timer.
      expect([...byStatus.keys()].sort()).toEqual(['HTTP/1.1 408', 'HTTP/1.1 429']);
      expect(Math.max(...closedAfter)).toBeLessThan(10_000 + CLOSE_MARGIN_MS);
    } finally {
      clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
    }
  });
});
