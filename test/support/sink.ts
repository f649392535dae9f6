import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SinkReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Hold the answer until this promise settles (to keep a call in flight). */
  holdUntil?: Promise<void>;
}

/** A third-party stand-in on loopback: records what it gets, answers what the test says. */
export interface Sink {
  url: string;
  received: ReceivedRequest[];
  reply(next: (request: ReceivedRequest) => SinkReply): void;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const received: ReceivedRequest[] = [];
  let responder: (request: ReceivedRequest) => SinkReply = () => ({
    status: 200,
    body: { ok: true },
  });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: ReceivedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      const answer = responder(entry);
      void Promise.resolve(answer.holdUntil).then(() => {
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...answer.headers,
        });
        response.end(JSON.stringify(answer.body ?? {}));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (next) => (responder = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
