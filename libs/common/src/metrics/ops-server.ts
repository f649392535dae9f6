import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HookflowMetrics } from './hookflow-metrics';

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

/** The Prometheus text of `metrics`, as the /metrics route of an ops listener answers it. */
export function metricsRoute(metrics: HookflowMetrics): OpsRoute {
  return async () => ({
    status: 200,
    contentType: metrics.contentType,
    body: await metrics.scrape(),
  });
}

/** Where an ops listener binds; undefined when the operator left it off. */
export interface OpsAddress {
  port: number;
  host: string;
}

/**
 * An OpsServer tied to the Nest lifecycle: it binds on bootstrap when it has an address and
 * closes on shutdown. The API's metrics listener and the worker's health listener differ only
 * in their routes, their address and what they log.
 */
export abstract class OpsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: OpsServer;

  protected constructor(
    routes: Record<string, OpsRoute>,
    private readonly address: OpsAddress | undefined,
    private readonly logger: Logger,
    private readonly startedMessage: string,
  ) {
    this.server = new OpsServer(routes);
  }

  /** The bound port, when the listener is on (tests ask for port 0). */
  get port(): number | undefined {
    return this.server.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const address = this.address;
    if (!address) return;
    await this.server.listen(address.port, address.host);
    this.logger.info({ host: address.host, port: this.port }, this.startedMessage);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
