import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an operations route answers. */
export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type OpsRoute = () => Promise<OpsAnswer>;

/**
 * A tiny HTTP listener for operations endpoints (/metrics, /health/*) on their own port, apart
 * from the webhook and API port: it can bind to a private address, and a flood of webhooks
 * cannot starve the scrape. GET only, no body, no auth (the bind address is the protection).
 */
export class OpsServer {
  private server?: Server;

  constructor(private readonly routes: Record<string, OpsRoute>) {}

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** The bound port (useful when listening on port 0). */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const route = Object.hasOwn(this.routes, path) ? this.routes[path] : undefined;
    let answer: OpsAnswer;
    if (!route) {
      answer = jsonAnswer(404, {
        error: { code: 'not_found', message: 'no such endpoint', details: [] },
      });
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      answer = jsonAnswer(405, {
        error: { code: 'method_not_allowed', message: 'use GET', details: [] },
      });
    } else {
      answer = await route().catch(() =>
        jsonAnswer(500, { error: { code: 'internal', message: 'internal error', details: [] } }),
      );
    }
    response.writeHead(answer.status, { 'content-type': answer.contentType });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }
}

export function jsonAnswer(status: number, body: unknown): OpsAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}
