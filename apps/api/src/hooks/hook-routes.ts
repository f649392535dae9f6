import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HookflowConfig } from '@hookflow/common';
import { errorBody } from '../errors/error-body';
import type { HookIntakeService, IncomingDelivery, IntakeAnswer } from './hook-intake.service';
import type { IntakeGate } from './intake-gate';

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
): Promise<void> {
  await fastify.register(async (scope) => {
    // Before the body is read: an overloaded process must not buffer what it will refuse.
    scope.addHook('onRequest', async (_request, reply) => {
      const verdict = await gate.enter();
      if (verdict.ok) {
        reply.raw.once('close', verdict.leave);
        return;
      }
      // Not written to the delivery log: that write is load the process has no room for.
      return reply
        .status(503)
        .header('retry-after', String(verdict.retryAfterSeconds))
        .send(errorBody(503, verdict.message, [], 'overloaded'));
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: config.maxBodyBytes },
      (_request, body, done) => done(null, body),
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
          const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
          return send(reply, await intake.receive(describe(request, raw), mode));
        },
      });
    }
  });
}
