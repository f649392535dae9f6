import { connect } from 'node:net';
import { request } from 'node:http';
import { sqlite, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * Slow senders (slowloris) cannot take the intake: a client gets a few slots at once, and a body
 * that does not arrive in time, or arrives too slowly, is answered 408 and its connection closed.
 * The attacker posts from 127.0.0.2, the genuine sender from 127.0.0.3 (both loopback).
 */

const PER_CLIENT = 3;

interface RawExchange {
  /** Everything the server wrote before it closed the connection. */
  closed: Promise<string>;
  write(bytes: string): void;
  destroy(): void;
}

/** A raw connection that sends the request head and then whatever the test writes, slowly. */
function openSlowPost(url: string, path: string, localAddress: string, length = 100): RawExchange {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n` +
      `content-length: ${length}\r\n\r\n`,
  );
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return {
    closed,
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    destroy: () => socket.destroy(),
  };
}

/** A genuine delivery from a given loopback address. */
function postFrom(
  url: string,
  path: string,
  localAddress: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface FlowView {
  id: string;
  triggers: Array<{ path: string; hookId: string }>;
}

describe('slow senders', () => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let flow: FlowView;

  beforeAll(async () => {
    database = await sqlite.create();
    hookflow = await startTestApp({
      ...database.env,
      HOOKFLOW_INTAKE_PER_CLIENT: String(PER_CLIENT),
      HOOKFLOW_BODY_TIMEOUT_MS: '4000',
      HOOKFLOW_BODY_MIN_RATE: '500',
      HOOKFLOW_HEADERS_TIMEOUT_MS: '1000',
    });
    const imported = await hookflow.api<FlowView>('POST', '/api/flows/import', {
      body: {
        format: 'hookflow.flow/v1',
        name: 'slow senders',
        nodes: [{ id: 'hook', type: 'trigger.webhook', params: {} }],
        edges: [],
      },
    });
    expect(imported.status).toBe(201);
    flow = imported.body;
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('gives one client a few slots at once (429 before the body is read) while others are served', async () => {
    const path = flow.triggers[0].path;
    const held = Array.from({ length: PER_CLIENT }, () =>
      openSlowPost(hookflow.url, path, '127.0.0.2'),
    );
    try {
      // Each held request has its slot once the server answers a probe from the same client.
      const refused = await waitFor('the per-client cap to refuse', async () => {
        const probe = openSlowPost(hookflow.url, path, '127.0.0.2');
        const text = await probe.closed;
        return text.startsWith('HTTP/1.1 429') ? text : undefined;
      });
      expect(refused).toMatch(/retry-after: 1/i);
      expect(refused).toMatch(/connection: close/i);
      expect(refused).toContain('"code":"client_busy"');
      expect(refused).toContain('127.0.0.2');

      const genuine = await postFrom(hookflow.url, path, '127.0.0.3', '{"ok":true}');
      expect(genuine.status).toBe(202);
    } finally {
      for (const exchange of held) exchange.destroy();
    }
  });

  it('answers 408 and closes a body that does not arrive by the deadline, and logs it under the hook', async () => {
    const path = flow.triggers[0].path;
    // 3,000 bytes of 4,000 at once: above the minimum rate until the deadline, then nothing.
    const stalled = openSlowPost(hookflow.url, path, '127.0.0.4', 4000);
    stalled.write(`{"pad":"${'x'.repeat(3000)}`);
    const text = await stalled.closed;
    expect(text.startsWith('HTTP/1.1 408')).toBe(true);
    expect(text).toContain('"code":"body_timeout"');
    expect(text).toContain('did not arrive within 4000 ms');

    const logged = await hookflow.api<{ items: Array<{ status: number; reason: string }> }>(
      'GET',
      `/api/deliveries?hookId=${flow.triggers[0].hookId}&status=408`,
    );
    expect(logged.status).toBe(200);
    expect(logged.body.items[0]?.reason).toContain('did not arrive within 4000 ms');
  });

  it('answers 408 to a body trickling in slower than the minimum rate, before its deadline', async () => {
    const path = flow.triggers[0].path;
    const trickle = openSlowPost(hookflow.url, path, '127.0.0.5', 100);
    let sent = 0;
    const timer = setInterval(() => {
      // One byte every 100 ms: 10 bytes/s, far below 500 bytes/s. Bounded by the body size.
      if (sent < 99) trickle.write('x');
      sent += 1;
    }, 100);
    try {
      const text = await trickle.closed;
      expect(text.startsWith('HTTP/1.1 408')).toBe(true);
      expect(text).toContain('slower than 500 bytes/s');
      // Cut by the rate (judged after 2 s), not by the 4 s deadline: fewer than 39 bytes went.
      expect(sent).toBeLessThan(39);
    } finally {
      clearInterval(timer);
    }
  });

  it('closes a connection whose headers never finish (408), on any route', async () => {
    const { hostname, port } = new URL(hookflow.url);
    const socket = connect({ host: hostname, port: Number(port), localAddress: '127.0.0.6' });
    socket.write('GET /api/flows HTTP/1.1\r\nhost: x\r\nx-slow: ');
    const text = await new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
    });
    expect(text.startsWith('HTTP/1.1 408')).toBe(true);
  });
});
