import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bigBodyMemory, type HookflowConfig } from '@hookflow/common';
import type { DatabaseOutage } from '@hookflow/store';
import { clientAddressOf, compileIpRules, type IpRules } from '@hookflow/webhooks';
import { DATABASE_RETRY_AFTER_S, databaseUnavailableBody, errorBody } from '../errors/error-body';
import { readBody } from './body-reader';
import type { HookIntakeService, IncomingDelivery, IntakeAnswer } from './hook-intake.service';
import type { IntakeGate } from './intake-gate';
import { SlowSenderGuard, type Receipt } from './slow-sender-guard';

const HOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

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
  const receipts = new WeakMap<IncomingMessage, Receipt>();

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
      receipts.set(request.raw, admission.receipt);
      reply.raw.once('close', () => {
        receipts.delete(request.raw);
        verdict.leave();
        slowSenders.release(admission.receipt);
        slowSenders.requestEnded(request.raw.socket);
      });
    });
    scope.removeAllContentTypeParsers();
    // The raw bytes (signatures need them), read as Fastify's `parseAs: 'buffer'` would, but a
    // big body straight into one buffer of its size (see readBody).
    scope.addContentTypeParser('*', { bodyLimit: config.maxBodyBytes }, (request, payload, done) =>
      readBody(
        payload,
        request.headers['content-length'],
        { limit: config.maxBodyBytes, memory: bigBodyMemory },
        done,
      ),
    );
    scope.setErrorHandler(async (error: { statusCode?: number; code?: string }, request, reply) => {
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
    // The live URL, and the test URL that runs even a disabled flow and keeps a sample.
    const routes = [
      ['/hooks/:hookId', 'live'],
      ['/hooks-test/:hookId', 'test'],
    ] as const;
    for (const [url, mode] of routes) {
      scope.route({
        method: [...HOOK_METHODS],
        url,
        bodyLimit: config.maxBodyBytes,
        handler: async (request, reply) => {
          // The body is in: the request no longer counts as being received from its client
          // (here rather than in a hook: one async hook fewer per delivery).
          const receipt = receipts.get(request.raw);
          if (receipt) {
            slowSenders.release(receipt);
            // Node keeps a keep-alive socket's last request until the next one arrives, and the
            // receipt's `cut` holds this request and its body: a big body would outlive its
            // answer by as long as the connection stays idle.
            receipts.delete(request.raw);
          }
          const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
          return send(reply, await intake.receive(describe(request, raw), mode));
        },
      });
    }
  });
}
