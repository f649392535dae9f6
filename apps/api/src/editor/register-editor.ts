import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the API, the hooks and the docs: never answered with the editor page. */
const SERVER_PREFIXES = ['/api', '/hooks', '/hooks-test', '/health', '/admin'];

/**
 * Where `vite build` put the editor (apps/editor/dist), seen from the sources (apps/api/src/editor)
 * and from the compiled API (dist/apps/api/src/editor); HOOKFLOW_EDITOR_DIR overrides both.
 */
export function findEditorDir(): string | undefined {
  const candidates = [
    process.env.HOOKFLOW_EDITOR_DIR,
    path.resolve(__dirname, '../../../editor/dist'),
    path.resolve(__dirname, '../../../../../apps/editor/dist'),
    path.resolve(process.cwd(), 'apps/editor/dist'),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, 'index.html')));
}

export function isEditorPath(url: string): boolean {
  const pathname = url.split('?')[0];
  return !SERVER_PREFIXES.some(
    (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
}

/**
 * Serves the editor at `/`: hashed assets under /assets (cached for a year), and index.html for
 * every other GET that asks for HTML outside the API and hook prefixes (SPA fallback). Routes of
 * the API and hooks are more specific and keep priority. Without a build, nothing is served.
 */
export async function registerEditor(fastify: FastifyInstance): Promise<boolean> {
  const dir = findEditorDir();
  if (!dir) return false;
  const indexHtml = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const assets = path.join(dir, 'assets');
  if (existsSync(assets)) {
    await fastify.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      wildcard: true,
      index: false,
      immutable: true,
      maxAge: '365d',
    });
  }
  const sendIndex = (request: FastifyRequest, reply: FastifyReply): FastifyReply | void => {
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (!isEditorPath(request.url) || !wantsHtml) return reply.callNotFound();
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(indexHtml);
  };
  fastify.get('/', (request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(indexHtml),
  );
  fastify.get('/*', sendIndex);
  return true;
}
