import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startTestApp, TEST_API_KEY, type TestApp } from './support/test-app';

interface FlowView {
  id: string;
  enabled: boolean;
  version: number;
  triggers: Array<{ nodeId: string; hookId: string; path: string }>;
}
interface ImportView extends FlowView {
  report: {
    remapped: Array<{ kind: string; path: string; from: string; to: string }>;
    missingCredentials: Array<{ path: string; name: string }>;
    enabled: boolean;
  };
}
interface ErrorView {
  error: { code: string; details: Array<{ path: string; message: string }> };
}
type Document = Record<string, unknown> & { nodes: unknown[] };

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');
/** Every flow document in examples/ (payload samples and scripts live there too). */
const EXAMPLE_FLOWS = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    document: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Document,
  }))
  .filter(({ document }) => document.format === 'hookflow.flow/v1');
const PUBLISHED_SCHEMA: unknown = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', 'docs', 'flow.schema.json'), 'utf8'),
);
/** Both installations are reached at the same public URL, as after a move. */
const PUBLIC_URL = 'https://hookflow.example.test';

function simpleFlow(extra: { credential?: string; auth?: string } = {}) {
  return {
    format: 'hookflow.flow/v1',
    name: 'Moves between installations',
    nodes: [
      {
        id: 'hook',
        type: 'trigger.webhook',
        params: extra.auth ? { auth: { scheme: 'github', credential: extra.auth } } : {},
      },
      { id: 'map', type: 'transform', params: { expression: "{ 'ok': true }" } },
      {
        id: 'call',
        type: 'http.request',
        params: { url: 'http://127.0.0.1:9/x' },
        ...(extra.credential ? { credential: extra.credential } : {}),
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'call' },
    ],
  };
}

eachDatabase((target) => {
  let databases: TestDatabase[] = [];
  let here: TestApp;
  let there: TestApp;

  beforeAll(async () => {
    databases = [await target.create(), await target.create()];
    here = await startTestApp({ ...databases[0].env, HOOKFLOW_PUBLIC_URL: PUBLIC_URL });
    there = await startTestApp({ ...databases[1].env, HOOKFLOW_PUBLIC_URL: PUBLIC_URL });
  });
  afterAll(async () => {
    await here?.close();
    await there?.close();
    for (const database of databases) await database.drop();
  });

  const exportText = async (app: TestApp, id: string): Promise<string> => {
    const answer = await fetch(`${app.url}/api/flows/${id}/export`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    return answer.text();
  };
  const importDocument = (app: TestApp, body: unknown, query = '') =>
    app.api<ImportView & ErrorView>('POST', `/api/flows/import${query}`, { body });

  it('serves the published JSON Schema without credentials', async () => {
    const answer = await here.api('GET', '/api/schema/flow.json', { auth: false });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(answer.body).toEqual(PUBLISHED_SCHEMA);
  });

  it('has flow examples to check', () => {
    expect(EXAMPLE_FLOWS.length).toBeGreaterThan(0);
  });

  it.each(EXAMPLE_FLOWS.map(({ file, document }) => [file, document] as const))(
    'export -> import -> export is byte-for-byte stable for %s',
    async (_file, example) => {
      const imported = await importDocument(here, example);
      expect(imported.status).toBe(201);
      const first = await exportText(here, imported.body.id);
      const exported = JSON.parse(first) as Document;
      // The export is the example, plus where it validates and who it is here.
      const { $schema, id, hooks, ...document } = exported;
      expect($schema).toBe(`${PUBLIC_URL}/api/schema/flow.json`);
      expect(id).toBe(imported.body.id);
      expect(hooks).toEqual(
        Object.fromEntries(imported.body.triggers.map((hook) => [hook.nodeId, hook.hookId])),
      );
      const { $schema: _ignored, ...original } = example;
      expect(document).toEqual(original);

      const moved = await importDocument(there, exported);
      expect(moved.status).toBe(201);
      expect(moved.body.report.remapped).toEqual([]);
      expect(moved.body.id).toBe(imported.body.id);
      expect(await exportText(there, moved.body.id)).toBe(first);
      await there.api('DELETE', `/api/flows/${moved.body.id}`);
    },
  );

  it('keeps the flow id and trigger URL in the other installation', async () => {
    const created = await here.api<FlowView>('POST', '/api/flows', { body: simpleFlow() });
    const text = await exportText(here, created.body.id);
    const moved = await importDocument(there, JSON.parse(text));
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ id: created.body.id, enabled: true });
    expect(moved.body.report).toEqual({ remapped: [], missingCredentials: [], enabled: true });
    expect(moved.body.triggers[0].path).toBe(created.body.triggers[0].path);
    expect((await there.post(created.body.triggers[0].path, '{}')).status).toBe(202);
  });

  it('remaps ids this installation already has, and says which', async () => {
    const created = await here.api<FlowView>('POST', '/api/flows', { body: simpleFlow() });
    const exported = JSON.parse(await exportText(here, created.body.id)) as Document;

    const copy = await importDocument(here, exported);
    expect(copy.status).toBe(201);
    expect(copy.body.id).not.toBe(created.body.id);
    const newHook = copy.body.triggers[0].hookId;
    expect(newHook).not.toBe(created.body.triggers[0].hookId);
    expect(copy.body.report.remapped).toEqual([
      { kind: 'flow', path: '/id', from: created.body.id, to: copy.body.id },
      {
        kind: 'hook',
        path: '/hooks/hook',
        from: created.body.triggers[0].hookId,
        to: newHook,
      },
    ]);
    // The original keeps its URL; the copy has its own.
    const original = await here.api<FlowView>('GET', `/api/flows/${created.body.id}`);
    expect(original.body.triggers[0].hookId).toBe(created.body.triggers[0].hookId);
  });

  it('imports a flow naming a missing credential disabled, and says where', async () => {
    const made = await here.api('POST', '/api/credentials', {
      body: { name: 'gh-secret', type: 'hmac-secret', data: { secrets: ['s3cret-s3cret'] } },
    });
    expect(made.status).toBe(201);
    const document = simpleFlow({ auth: 'gh-secret', credential: 'payments-token' });
    const imported = await importDocument(here, document, '?enabled=true');
    expect(imported.status).toBe(201);
    expect(imported.body.enabled).toBe(false);
    expect(imported.body.report).toEqual({
      remapped: [],
      missingCredentials: [{ path: '/nodes/2/credential', name: 'payments-token' }],
      enabled: false,
    });
    const stored = await here.api<FlowView>('GET', `/api/flows/${imported.body.id}`);
    expect(stored.body.enabled).toBe(false);
    expect(JSON.parse(await exportText(here, imported.body.id))).toMatchObject({
      nodes: [
        { params: { auth: { credential: 'gh-secret' } } },
        {},
        { credential: 'payments-token' },
      ],
    });

    const trigger = await importDocument(there, simpleFlow({ auth: 'gh-secret' }));
    expect(trigger.body.report.missingCredentials).toEqual([
      { path: '/nodes/0/params/auth/credential', name: 'gh-secret' },
    ]);
    const present = await importDocument(here, simpleFlow({ auth: 'gh-secret' }));
    expect(present.body).toMatchObject({ enabled: true, report: { missingCredentials: [] } });
  });

  it('refuses hook ids that are malformed or not on a trigger', async () => {
    const answer = await importDocument(here, {
      ...simpleFlow(),
      hooks: { hook: 'short', map: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail) => detail.path)).toEqual([
      '/hooks/hook',
      '/hooks/map',
    ]);
    const badId = await importDocument(here, { ...simpleFlow(), id: 'not-a-uuid' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.map((detail) => detail.path)).toContain('/id');
  });
});
