import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, OPEN_ROUTES, REQUIRED_SCOPE } from '@hookflow/api';
import { sqlite, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';

interface Route {
  method: string;
  path: string;
  public: boolean;
  admin: boolean;
}

/** Routes that must stay admin-only whatever their decorators say. */
const ADMIN_PREFIXES = ['/api/keys', '/api/users', '/api/audit'];
const READ_METHODS = new Set(['GET', 'HEAD']);

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '')
    .join('/')}`;

/**
 * Every route Nest serves, read from its module graph (not from the OpenAPI document, so a
 * controller left out of the docs is still checked). A route added by anyone later is covered.
 */
function nestRoutes(hookflow: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of hookflow.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = joinPath(base, path);
        const meta = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T;
        routes.push({
          method: RequestMethod[method],
          path: full,
          public: meta<boolean>(IS_PUBLIC) === true || OPEN_ROUTES.has(full),
          admin:
            meta<string>(REQUIRED_SCOPE) === 'admin' ||
            ADMIN_PREFIXES.some((prefix) => full.startsWith(prefix)),
        });
      }
    }
  }
  return routes;
}

/** A concrete URL for a route pattern: every `:param` gets a random (unknown) id. */
const concrete = (path: string): string => path.replace(/:[A-Za-z]+/g, () => randomUUID());
const label = (route: Route): string => `${route.method} ${route.path}`;

/**
 * Issue #9's acceptance: every management endpoint refuses a key without the needed scope (403),
 * refuses no key at all (401), and lets a key with the scope through (anything but 401/403).
 */
describe('scopes on every management route', () => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let routes: Route[];
  const keys: Record<'read' | 'write', string> = { read: '', write: '' };

  /** Calls every route with `auth` and returns `route -> status` for those `pick` selects. */
  const statuses = async (auth: string | false, pick: (route: Route) => boolean) => {
    const answers: Record<string, number> = {};
    for (const route of routes.filter(pick)) {
      const answer = await hookflow.api(route.method, concrete(route.path), {
        auth,
        body: READ_METHODS.has(route.method) ? undefined : {},
      });
      answers[label(route)] = answer.status;
    }
    return answers;
  };
  const allEqual = (answers: Record<string, number>, status: number) =>
    Object.fromEntries(Object.keys(answers).map((route) => [route, status]));

  beforeAll(async () => {
    database = await sqlite.create();
    hookflow = await startTestApp(database.env);
    routes = nestRoutes(hookflow);
    for (const scope of ['read', 'write'] as const) {
      const created = await hookflow.api<{ key: string }>('POST', '/api/keys', {
        body: { name: `${scope} only`, scopes: [scope] },
      });
      keys[scope] = `Bearer ${created.body.key}`;
    }
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('finds the management routes, the admin ones among them', () => {
    const names = routes.map(label);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/flows',
        'POST /api/flows',
        'PUT /api/flows/:id',
        'POST /api/credentials',
        'GET /api/keys',
        'POST /api/keys',
        'DELETE /api/keys/:id',
        'POST /api/users',
        'GET /api/audit',
      ]),
    );
    expect(routes.filter((route) => route.admin).map(label)).toEqual(
      expect.arrayContaining(['GET /api/keys', 'POST /api/users', 'GET /api/audit']),
    );
    expect(
      routes
        .filter((route) => route.public)
        .map(label)
        .sort(),
    ).toEqual(expect.arrayContaining(['GET /health', 'POST /api/setup', 'POST /api/session']));
  });

  it('answers 401 on every non-public route without credentials', async () => {
    const answers = await statuses(false, (route) => !route.public);
    expect(answers).toEqual(allEqual(answers, 401));
  });

  it('refuses a read-only key every change (403) and lets it read (not 401/403)', async () => {
    const changes = await statuses(keys.read, (r) => !r.public && !READ_METHODS.has(r.method));
    expect(Object.keys(changes).length).toBeGreaterThan(10);
    expect(changes).toEqual(allEqual(changes, 403));

    const reads = await statuses(
      keys.read,
      (r) => !r.public && !r.admin && READ_METHODS.has(r.method),
    );
    for (const [route, status] of Object.entries(reads)) {
      expect({ route, refused: status === 401 || status === 403, failed: status >= 500 }).toEqual({
        route,
        refused: false,
        failed: false,
      });
    }
  });

  it('refuses a write key every admin route (403) and lets it change the rest', async () => {
    const admin = await statuses(keys.write, (route) => !route.public && route.admin);
    expect(admin).toEqual(allEqual(admin, 403));
    const read = await statuses(keys.read, (route) => !route.public && route.admin);
    expect(read).toEqual(allEqual(read, 403));

    const changes = await statuses(
      keys.write,
      (r) => !r.public && !r.admin && !READ_METHODS.has(r.method),
    );
    for (const [route, status] of Object.entries(changes)) {
      expect({ route, refused: status === 401 || status === 403, failed: status >= 500 }).toEqual({
        route,
        refused: false,
        failed: false,
      });
    }
  });
});
