import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@hookflow/common';
import { missingCredentials } from './auth.guard';
import type { Authenticator } from './authenticator';
import { setPrincipal } from './principal';
import { OPEN_ROUTES, PUBLIC_ROUTE_CONFIG, scopeForMethod } from './scopes';

/** Nest's controller routes: the management API. */
const MANAGEMENT_PREFIX = '/api/';

function needsEarlyAuthentication(request: FastifyRequest): boolean {
  const route = request.routeOptions;
  if (route.url === undefined || !route.url.startsWith(MANAGEMENT_PREFIX)) return false;
  if (OPEN_ROUTES.has(route.url)) return false;
  const config = route.config as { [PUBLIC_ROUTE_CONFIG]?: boolean } | undefined;
  // Reads carry no body to parse; the guard authenticates them as before.
  return config?.[PUBLIC_ROUTE_CONFIG] !== true && scopeForMethod(request.method) === 'write';
}

/**
 * Fastify reads and parses a body before Nest's guards run, so without this a caller with no
 * key learnt whether its JSON parsed (400) or its body was too big (413), and made the server
 * read it. Management routes that change things authenticate here, on request, before the body
 * is read; the guard then finds the principal and checks its scope.
 */
export function registerAuthenticateFirst(
  fastify: FastifyInstance,
  authenticator: Authenticator,
): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!needsEarlyAuthentication(request)) return;
    try {
      const principal = await authenticator.authenticate(request);
      if (!principal) throw missingCredentials();
      setPrincipal(request, principal);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Answered here: the connection is not kept reading a body nobody will look at.
      return reply
        .header('connection', 'close')
        .status(error.getStatus())
        .send(error.getResponse());
    }
  });
}
