import type { FastifyInstance } from 'fastify';

/**
 * Most HTTP clients send `Content-Type: application/json` on every POST, also to action routes
 * without a body (`/enable`, `/disable`, `/publish`). Fastify refuses such an empty body with
 * 400; here it is simply no body. Anything else goes to Fastify's own parser (with its
 * prototype-poisoning checks).
 */
export function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
