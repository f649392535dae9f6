import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundError, type OutboundRequest } from '@hookflow/engine';
import { GuardedHttpClient } from './guarded-http-client';

/**
 * Every server in this file listens on loopback (127.0.0.1 or ::1) only; nothing leaves the
 * machine. The client under test must refuse loopback unless it is allowlisted.
 */

const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface TestServer {
  server: Server;
  port: number;
  /** TCP connections accepted: 0 proves the guard refused before connecting. */
  connections: number;
  requests: Array<{
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }>;
  handler: Handler;
}

async function startServer(host: string): Promise<TestServer> {
  const server = createServer();
  const test: TestServer = {
    server,
    port: 0,
    connections: 0,
    requests: [],
    handler: (_request, _body, response) => response.end('ok'),
  };
  server.on('connection', () => {
    test.connections += 1;
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { method = '', url = '', headers } = request;
      test.requests.push({ method, url, headers, body });
      // The client may hang up mid-answer (too_large, timeout): that is expected here.
      response.on('error', () => undefined);
      test.handler(request, body, response);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  test.port = (server.address() as AddressInfo).port;
  return test;
}

async function stopServer(test: TestServer | undefined): Promise<void> {
  if (!test) return;
  test.server.closeAllConnections();
  await new Promise<void>((resolve) => test.server.close(() => resolve()));
}

function get(url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest {
  return { method: 'GET', url, headers: {}, timeoutMs: 2000, ...extra };
}

/** The rejection of a request, asserted to be an OutboundError. */
async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof OutboundError)) {
    throw new Error(`expected an OutboundError, got ${String(error)}`);
  }
  return error;
}

describe('GuardedHttpClient', () => {
  let v4: TestServer;

  beforeAll(async () => {
    v4 = await startServer('127.0.0.1');
  });

  beforeEach(() => {
    v4.connections = 0;
    v4.requests.length = 0;
    v4.handler = (_request, _body, response) => response.end('ok');
  });

  afterAll(async () => {
    await stopServer(v4);
  });

  describe('with an empty allowlist (the default)', () => {
    const client = new GuardedHttpClient([]);

    it('refuses 127.0.0.1 as blocked without connecting', async () => {
      const error = await failure(client.request(get(`http://127.0.0.1:${v4.port}/`)));
      expect(error.code).toBe('blocked');
      expect(error.message).toContain('127.0.0.1');
      expect(v4.connections).toBe(0);
    });

    it('refuses localhost as blocked after DNS, without connecting', async () => {
      const error = await failure(client.request(get(`http://localhost:${v4.port}/`)));
      expect(error.code).toBe('blocked');
      expect(error.message).toMatch(/^localhost resolves to/);
      expect(v4.connections).toBe(0);
    });

    it('refuses [::ffff:127.0.0.1] (IPv4-mapped loopback) as blocked without connecting', async () => {
      const error = await failure(client.request(get(`http://[::ffff:127.0.0.1]:${v4.port}/`)));
      expect(error.code).toBe('blocked');
      expect(v4.connections).toBe(0);
    });

    it('refuses [::1] as blocked without connecting', async () => {
      // If ::1 cannot be bound here, the request is still checked: unguarded, it would fail
      // with a network error (connection refused), not with `blocked`.
      const v6 = await startServer('::1').catch((error: NodeJS.ErrnoException) => {
        console.warn(`::1 cannot be bound (${error.code}); checking the refusal without a server`);
        return undefined;
      });
      try {
        const port = v6?.port ?? v4.port;
        const error = await failure(client.request(get(`http://[::1]:${port}/`)));
        expect(error.code).toBe('blocked');
        expect(error.message).toContain('::1');
        if (v6) expect(v6.connections).toBe(0);
      } finally {
        await stopServer(v6);
      }
    });

    it.each([
      ['file:///etc/passwd', 'file:'],
      ['ftp://127.0.0.1/pub', 'ftp:'],
      ['gopher://127.0.0.1:70/', 'gopher:'],
      ['data:text/plain,hello', 'data:'],
    ])('refuses the non-http(s) URL %s as blocked', async (url, scheme) => {
      const error = await failure(client.request(get(url)));
      expect(error.code).toBe('blocked');
      expect(error.message).toBe(`${scheme} URLs are not allowed`);
    });

    it.each(['not a url', 'http://', '//127.0.0.1/x', ''])(
      'refuses the invalid URL %j as blocked',
      async (url) => {
        const error = await failure(client.request(get(url)));
        expect(error.code).toBe('blocked');
        expect(error.message).toMatch(/is not a valid URL/);
      },
    );
  });

  describe('with loopback allowlisted', () => {
    it('lets 127.0.0.1 through when allowlisted by address and returns status, headers and body', async () => {
      v4.handler = (request, body, response) => {
        response.writeHead(201, { 'content-type': 'application/json', 'x-reply': 'yes' });
        response.end(JSON.stringify({ method: request.method, url: request.url, body }));
      };
      const client = new GuardedHttpClient(['127.0.0.1']);
      const response = await client.request({
        method: 'POST',
        url: `http://127.0.0.1:${v4.port}/path?q=1`,
        headers: { 'content-type': 'text/plain', 'x-custom': 'abc' },
        body: 'héllo',
        timeoutMs: 2000,
      });
      expect(response.status).toBe(201);
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.headers['x-reply']).toBe('yes');
      expect(JSON.parse(response.body)).toEqual({
        method: 'POST',
        url: '/path?q=1',
        body: 'héllo',
      });
      const [received] = v4.requests;
      expect(received.headers['x-custom']).toBe('abc');
      expect(received.headers['user-agent']).toBe('Hookflow/0.1');
      expect(received.headers['content-length']).toBe(String(Buffer.byteLength('héllo')));
    });

    it('lets 127.0.0.1 through when allowlisted by the CIDR 127.0.0.0/8', async () => {
      const client = new GuardedHttpClient(['127.0.0.0/8']);
      const response = await client.request(get(`http://127.0.0.1:${v4.port}/`));
      expect(response.status).toBe(200);
      expect(response.body).toBe('ok');
      expect(v4.requests).toHaveLength(1);
    });

    it('lets localhost through when allowlisted by hostname', async () => {
      const client = new GuardedHttpClient(['localhost']);
      const response = await client.request(get(`http://localhost:${v4.port}/`));
      expect(response.status).toBe(200);
      expect(response.body).toBe('ok');
    });

    it('still refuses other private addresses than the allowlisted one', async () => {
      const client = new GuardedHttpClient(['127.0.0.1']);
      const error = await failure(client.request(get(`http://127.0.0.2:${v4.port}/`)));
      expect(error.code).toBe('blocked');
    });
  });

  describe('limits', () => {
    const client = new GuardedHttpClient(['127.0.0.1']);

    it('gives up with code timeout when the server never answers, after timeoutMs', async () => {
      v4.handler = () => undefined; // holds the request open and never answers
      const timeoutMs = 200;
      const started = Date.now();
      const error = await failure(
        client.request(get(`http://127.0.0.1:${v4.port}/slow`, { timeoutMs })),
      );
      const elapsed = Date.now() - started;
      expect(error.code).toBe('timeout');
      expect(error.message).toContain(`${timeoutMs} ms`);
      expect(v4.requests).toHaveLength(1);
      // Not before the deadline. No upper bound on the wall clock (a busy machine would make it
      // flaky): without the deadline the request never settles and the test times out.
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 20);
    });

    it('refuses a response larger than 5 MiB with code too_large', async () => {
      v4.handler = (_request, _body, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        for (let i = 0; i < 5; i += 1) response.write(chunk);
        response.end(Buffer.alloc(1, 'x')); // 5 MiB + 1 byte
      };
      const error = await failure(client.request(get(`http://127.0.0.1:${v4.port}/big`)));
      expect(error.code).toBe('too_large');
    });

    it('accepts a response of exactly 5 MiB', async () => {
      v4.handler = (_request, _body, response) => {
        response.end(Buffer.alloc(MAX_RESPONSE_BYTES, 'x'));
      };
      const response = await client.request(get(`http://127.0.0.1:${v4.port}/exact`));
      expect(response.body).toHaveLength(MAX_RESPONSE_BYTES);
    });
  });
});
