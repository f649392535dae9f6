import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HookflowMetrics } from '@hookflow/common';
import { errorBody } from '../errors/error-body';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of `Authorization: Bearer <token>` with the metrics token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1].trim()), digest(token));
}

/**
 * GET /metrics on the main port, as a plain Fastify route: outside the management API's auth
 * (a scraper holds the metrics token, not an API key). Without HOOKFLOW_METRICS_TOKEN the
 * endpoint does not exist here (404); HOOKFLOW_METRICS_PORT serves it on its own listener.
 */
export function registerMetricsRoute(
  fastify: FastifyInstance,
  metrics: HookflowMetrics,
  token: string | undefined,
): void {
  fastify.get('/metrics', async (request, reply) => {
    if (!token) return reply.status(404).send(errorBody(404, 'no metrics on this port'));
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody(401, 'the metrics token is missing or wrong'));
    }
    const text = await metrics.scrape();
    return reply.status(200).header('content-type', metrics.contentType).send(text);
  });
}
