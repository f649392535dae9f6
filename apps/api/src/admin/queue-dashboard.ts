import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BullExecutionQueue } from '@hookflow/queue';
import type { ApiKeysService } from '../auth/api-keys.service';
import { errorBody } from '../errors/error-body';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The API key from `Authorization: Bearer <key>` or, for browsers, Basic with the key as password. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator === -1 ? undefined : decoded.slice(separator + 1);
}

/**
 * Bull Board at /admin/queues, behind the management API key. Browsers get a Basic prompt
 * (any user name, the API key as password).
 */
export async function registerQueueDashboard(
  fastify: FastifyInstance,
  queue: BullExecutionQueue,
  keys: ApiKeysService,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullAdapter(queue.queue)], serverAdapter });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const key = presentedKey(request);
      if (key && (await keys.isValid(key))) return;
      await reply
        .status(401)
        .header('www-authenticate', 'Basic realm="Hookflow queues", charset="UTF-8"')
        .send(errorBody(401, 'the queue dashboard needs the API key (Bearer, or Basic password)'));
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
