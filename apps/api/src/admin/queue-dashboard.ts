import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '@hookflow/common';
import type { BullExecutionQueue } from '@hookflow/queue';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { hasScope } from '../auth/scopes';
import { errorBody } from '../errors/error-body';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The key from Basic auth with the key as password (how a browser prompt sends it). */
function basicPassword(request: FastifyRequest): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator === -1 ? undefined : decoded.slice(separator + 1);
}

/** The caller by Bearer key, session cookie, or Basic (key as password); undefined if none. */
async function callerOf(
  request: FastifyRequest,
  authenticator: Authenticator,
): Promise<Principal | undefined> {
  const password = basicPassword(request);
  if (password !== undefined) return authenticator.keyPrincipal(password);
  try {
    return await authenticator.authenticate(request);
  } catch (error) {
    if ((error as AppError).getStatus?.() === 403) throw error;
    return undefined;
  }
}

/**
 * Bull Board at /admin/queues, for admins only: an admin key (Bearer, or as the Basic password
 * in a browser prompt) or a signed-in owner's session.
 */
export async function registerQueueDashboard(
  fastify: FastifyInstance,
  queue: BullExecutionQueue,
  authenticator: Authenticator,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullAdapter(queue.queue)], serverAdapter });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      let caller: Principal | undefined;
      try {
        caller = await callerOf(request, authenticator);
      } catch {
        await reply.status(403).send(errorBody(403, 'a change needs the X-Hookflow-CSRF header'));
        return;
      }
      if (caller && hasScope(caller.scopes, 'admin')) return;
      if (caller) {
        await reply.status(403).send(errorBody(403, 'the queue dashboard needs the "admin" scope'));
        return;
      }
      await reply
        .status(401)
        .header('www-authenticate', 'Basic realm="Hookflow queues", charset="UTF-8"')
        .send(
          errorBody(401, 'the queue dashboard needs an admin API key (Bearer, or Basic password)'),
        );
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
