import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bigBodyMemory, type HookflowConfig } from '@hookflow/common';
import type { DatabaseOutage } from '@hookflow/store';
import { clientAddressOf, compileIpRules, type IpRules } from '@hookflow/webhooks';
import { DATABASE_RETRY_AFTER_S, databaseUnavailableBody, errorBody } from '../errors/error-body';
import { readBody } from './body-reader';
import type { HookIntakeService, IncomingDelivery, IntakeAnswer } from './hook-intake.service';
import type { IntakeGate } from './intake-gate';
import { SlowSenderGuard } from './slow-sender-guard';

const HOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The live URL, and the test URL that runs even a disabled flow and keeps a sample. */
const MODES: ReadonlyMap<string, 'live' | 'test'> = new Map([
  ['/hooks/:hookId', 'live'],
  ['/hooks-test/:hookId', 'test'],
]);

/** Methods Fastify never reads a body for (its `bodyless` set, of the ones a hook answers). */
const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Whether the request has a body to read, decided as Fastify's request handling does: a bodyless
 * method never; else a Content-Type, a Content-Length other than 0, or a Transfer-Encoding.
 */
function hasBody(request: FastifyRequest): boolean {
  if (BODYLESS_METHODS.has(request.method)) return false;
  const headers = request.headers;
  if (headers['content-type'] !== undefined) return true;
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function flatten(values: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describe(request: FastifyRequest, rawBody?: Buffer): IncomingDelivery {
  const params = request.params as { hookId?: string };
  const length = Number(request.headers['content-length'] ?? rawBody?.length ?? 0);
  return {
    hookId: params.hookId ?? '',
    method: request.method,
    path: request.url.split('?')[0],
    url: request.url,
    headers: flatten(request.headers),
    query: flatten(request.query as Record<string, string | string[] | undefined>),
    rawBody,
    sizeBytes: Number.isFinite(length) ? length : 0,
    receivedAt: new Date(),
    remoteAddress: request.socket.remoteAddress,
  };
}

/** The client a request counts against: the peer, or the sender behind a trusted proxy. */
function clientOf(request: FastifyRequest, proxies: IpRules): string {
  const forwarded = request.headers['x-forwarded-for'];
  return clientAddressOf(proxies, {
    peerAddress: request.socket.remoteAddress ?? '',
    forwardedFor: Array.isArray(forwarded) ? forwarded.join(', ') : forwarded,
  });
}

/** Refused before the body was read: answer and close, so the unread body is not waited for. */
function refuseUnread(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): FastifyReply {
  return reply
    .status(status)
    .headers({ ...headers, connection: 'close' })
    .send(body);
}

export interface HookRouteGuards {
  outage: DatabaseOutage;
}

function send(reply: FastifyReply, answer: IntakeAnswer): FastifyReply {
  if (answer.headers) void reply.headers(answer.headers);
  return reply.status(answer.status).send(answer.body);
}

/**
 * The hook route lives outside Nest's router: it is the hot path, it needs the raw bytes (for
 * signatures), and it must answer refusals in our error shape before any DI or pipes run.
 */
export async function registerHookRoutes(
  fastify: FastifyInstance,
  intake: HookIntakeService,
  config: HookflowConfig,
  gate: IntakeGate,
  guards: HookRouteGuards,
): Promise<void> {
  const { outage } = guards;
  const proxies = compileIpRules({ trustedProxies: config.trustedProxies });
  if (!proxies.ok) throw new Error(`HOOKFLOW_TRUSTED_PROXIES: ${proxies.problems.join('; ')}`);
  const slowSenders = new SlowSenderGuard({
    perClient: config.intakePerClient,
    bodyTimeoutMs: config.bodyTimeoutMs,
    minBytesPerSecond: config.bodyMinBytesPerSecond,
  });
  fastify.addHook('onClose', async () => slowSenders.close());

  /** The raw bytes (signatures need them), as Fastify's `parseAs: 'buffer'` would read them. */
  const readRaw = (request: FastifyRequest): Promise<Buffer | undefined> => {
    if (!hasBody(request)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) =>
      readBody(
        request.raw,
        request.headers['content-length'],
        { limit: config.maxBodyBytes, memory: bigBodyMemory },
        (error, body) => (error ? reject(error) : resolve(body)),
      ),
    );
  };

  /** A body that could not be read: 413 over the limit, else 400 (logged as refused). */
  const answerUnreadable = async (
    error: { statusCode?: number; code?: string },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const reason = `body is larger than ${config.maxBodyBytes} bytes`;
      return send(
        reply,
        await intake.reject(describe(request), null, 413, reason, errorBody(413, reason)),
      );
    }
    if (error.statusCode && error.statusCode < 500) {
      const reason = 'request could not be read';
      return send(
        reply,
        await intake.reject(describe(request), null, 400, reason, errorBody(400, reason)),
      );
    }
    return undefined;
  };

  await fastify.register(async (scope) => {
    // Before the body is read: an overloaded process must not buffer what it will refuse.
    scope.addHook('onRequest', async (request, reply) => {
      if (outage.isDown) {
        // Known outage: answer at once instead of queueing for a connection that will fail.
        return refuseUnread(reply, 503, databaseUnavailableBody('an outage is in progress'), {
          'retry-after': String(DATABASE_RETRY_AFTER_S),
        });
      }
      const verdict = await gate.enter();
      if (!verdict.ok) {
        // Not written to the delivery log: that write is load the process has no room for.
        return refuseUnread(reply, 503, errorBody(503, verdict.message, [], 'overloaded'), {
          'retry-after': String(verdict.retryAfterSeconds),
        });
      }
      const client = clientOf(request, proxies.rules);
      const admission = slowSenders.admit(client, request.raw, (reason) => {
        // Too slow: answer 408 and close now; the body reader sees the socket go away.
        void intake.refuseUnread(describe(request), 408, reason);
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(408, {
            'content-type': 'application/json; charset=utf-8',
            connection: 'close',
          });
        }
        reply.raw.end(JSON.stringify(errorBody(408, reason, [], 'body_timeout')), () =>
          request.raw.socket.destroy(),
        );
      });
      if (!admission.ok) {
        verdict.leave();
        void intake.refuseUnread(describe(request), 429, admission.reason);
        return refuseUnread(reply, 429, errorBody(429, admission.reason, [], 'client_busy'), {
          'retry-after': '1',
        });
      }
      reply.raw.once('close', () => {
        verdict.leave();
        slowSenders.release(admission.receipt);
        slowSenders.requestEnded(request.raw.socket);
      });
      // The body is read and the delivery answered here, in the first hook: Fastify's
      // content-type parser would bind an AsyncResource per request (on Node 20 each bind also
      // builds deprecation wrappers: ~3.5 % of the hot path's time) and run three more hook
      // stages for a route that needs none. The answer still goes through reply.send.
      let raw: Buffer | undefined;
      try {
        raw = await readRaw(request);
      } catch (error) {
        // Cut as too slow: the 408 is out already (and logged).
        if (reply.sent) return reply;
        // As Fastify answers a body it could not read: the client may still be sending it.
        void reply.header('connection', 'close');
        const answered = await answerUnreadable(error as { statusCode?: number }, request, reply);
        if (answered) return answered;
        throw error;
      }
      // The body is in: the request no longer counts as being received from its client.
      slowSenders.release(admission.receipt);
      const mode = MODES.get(request.routeOptions.url ?? '') ?? 'live';
      return send(reply, await intake.receive(describe(request, raw), mode));
    });
    scope.setErrorHandler(async (error: { statusCode?: number; code?: string }, request, reply) => {
      const unreadable = await answerUnreadable(error, request, reply);
      if (unreadable) return unreadable;
      const unavailable = outage.observe(error);
      if (unavailable !== undefined) {
        return reply
          .status(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_S))
          .send(databaseUnavailableBody(unavailable));
      }
      request.log.error(error);
      return reply.status(500).send(errorBody(500, 'internal error', [], 'internal'));
    });
    for (const url of MODES.keys()) {
      scope.route({
        method: [...HOOK_METHODS],
        url,
        bodyLimit: config.maxBodyBytes,
        // Never reached: the onRequest hook above answers every request of this route.
        handler: async (_request, reply) =>
          reply.status(500).send(errorBody(500, 'internal error', [], 'internal')),
      });
    }
  });
}
