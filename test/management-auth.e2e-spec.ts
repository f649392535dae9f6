import { eachDatabase, type TestDatabase } from './support/databases';
import { call, startTestApp, TEST_API_KEY, type TestApp } from './support/test-app';

interface ErrorView {
  error: { code: string; message: string };
}

/** Issue #14, item 11: management routes authenticate before they read a body. */
eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    call<ErrorView>(`${hookflow.url}${path}`, 'POST', {
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('answers 401 to a caller without a key before parsing its body (broken JSON, 2 MB)', async () => {
    const broken = await post('/api/flows', '{"name": ');
    expect(broken.status).toBe(401);
    expect(broken.body.error.code).toBe('unauthorized');
    const huge = await post('/api/flows', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(401);
    const wrongKey = await post('/api/credentials', '{', { authorization: 'Bearer not-a-key' });
    expect(wrongKey.status).toBe(401);
    // With a key, the body is read and judged as before.
    const authorization = `Bearer ${TEST_API_KEY}`;
    expect((await post('/api/flows', '{"name": ', { authorization })).status).toBe(400);
    // Public routes still read their body without a key.
    const signIn = await post('/api/session', JSON.stringify({ email: 'a@b.c', password: 'x' }));
    expect(signIn.status).toBe(401);
    expect(signIn.body.error.message).not.toMatch(/Authorization header/);
  });

  it('accepts Content-Type: application/json with an empty body on bodiless action routes', async () => {
    const created = await hookflow.api<{ id: string }>('POST', '/api/flows', {
      body: { name: 'actions', nodes: [{ id: 'hook', type: 'trigger.webhook' }], edges: [] },
    });
    expect(created.status).toBe(201);
    const authorization = `Bearer ${TEST_API_KEY}`;
    for (const action of ['disable', 'enable', 'publish']) {
      const answer = await post(`/api/flows/${created.body.id}/${action}`, '', { authorization });
      expect({ action, status: answer.status }).toEqual({ action, status: 200 });
    }
    const disabled = await post(`/api/flows/${created.body.id}/disable`, '', { authorization });
    expect(disabled.body).toMatchObject({ enabled: false });
  });
});
