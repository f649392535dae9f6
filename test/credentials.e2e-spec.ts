import { randomBytes } from 'node:crypto';
import { CredentialsService, Database } from '@hookflow/store';
import { eachDatabase, type TestDatabase } from './support/databases';
import { linearFlow } from './support/flows';
import { startTestApp, type HttpAnswer, type TestApp } from './support/test-app';

interface CredentialView {
  id: string;
  name: string;
  type: string;
  fields: Record<string, unknown>;
  readable: boolean;
  keyId: string;
  createdAt: string;
  updatedAt: string;
}
interface ErrorView {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

const MASK = '••••';
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

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

  const create = (body: unknown) =>
    hookflow.api<CredentialView & ErrorView>('POST', '/api/credentials', { body });

  it('creates, lists, reads, replaces and deletes a credential, answering it masked', async () => {
    const token = secret('bearer');
    const created = await create({ name: 'crud-api', type: 'http-bearer', data: { token } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'crud-api',
      type: 'http-bearer',
      fields: { token: MASK },
      readable: true,
    });
    expect(created.body.keyId).toMatch(/^[0-9a-f]{8}$/);
    const { id } = created.body;

    const listed = await hookflow.api<{ items: CredentialView[] }>('GET', '/api/credentials');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(created.body);
    expect((await hookflow.api('GET', `/api/credentials/${id}`)).body).toEqual(created.body);

    const resolver = hookflow.app.get(CredentialsService);
    expect(await resolver.resolve('crud-api')).toEqual({ type: 'http-bearer', data: { token } });
    const newToken = secret('bearer2');
    const updated = await hookflow.api<CredentialView>('PUT', `/api/credentials/${id}`, {
      body: { data: { token: newToken } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, type: 'http-bearer', fields: { token: MASK } });
    expect(await resolver.resolve('crud-api')).toEqual({
      type: 'http-bearer',
      data: { token: newToken },
    });

    expect((await hookflow.api('DELETE', `/api/credentials/${id}`)).status).toBe(204);
    expect((await hookflow.api('GET', `/api/credentials/${id}`)).status).toBe(404);
    expect((await hookflow.api('DELETE', `/api/credentials/${id}`)).status).toBe(404);
    expect(
      (await hookflow.api('PUT', `/api/credentials/${id}`, { body: { data: {} } })).status,
    ).toBe(404);
    expect((await hookflow.api('GET', '/api/credentials/not-a-uuid')).status).toBe(404);
    expect(await resolver.resolve('crud-api')).toBeUndefined();
  });

  it('masks every secret of every type and shows only identifying fields', async () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['slack-webhook', { url: 'https://hooks.slack.com/services/T/B/x' }, { url: MASK }],
      ['slack-bot', { token: 'xoxb-1' }, { token: MASK }],
      [
        'smtp',
        { host: 'smtp.example.com', port: 465, secure: true, username: 'me', password: 'pw' },
        { host: 'smtp.example.com', port: 465, secure: true, username: 'me', password: MASK },
      ],
      ['http-basic', { username: 'user', password: 'pw' }, { username: 'user', password: MASK }],
      ['http-header', { name: 'X-Api-Key', value: 'v' }, { name: 'X-Api-Key', value: MASK }],
      [
        'oauth2-client',
        { tokenUrl: 'https://auth.example.com/token', clientId: 'cid', clientSecret: 's' },
        { tokenUrl: 'https://auth.example.com/token', clientId: 'cid', clientSecret: MASK },
      ],
      ['hmac-secret', { secrets: ['new', 'old'] }, { secrets: [MASK, MASK] }],
    ];
    for (const [type, data, fields] of cases) {
      const answer = await create({ name: `mask-${type}`, type, data });
      expect({ type, status: answer.status, fields: answer.body.fields }).toEqual({
        type,
        status: 201,
        fields,
      });
    }
  });

  it('refuses bad requests with 400 and the path of every problem, saving nothing', async () => {
    const count = async () =>
      (await hookflow.api<{ total: number }>('GET', '/api/credentials')).body.total;
    const before = await count();
    const cases: Array<[unknown, string, string[]]> = [
      [{ name: 'v1', type: 'http-bearer', data: {} }, 'invalid_credential', ['/data/token']],
      [
        { name: 'v2', type: 'smtp', data: { host: 'h', port: 'x', extra: 1 } },
        'invalid_credential',
        ['/data/port', '/data/secure', '/data/extra'],
      ],
      [
        { name: 'v3', type: 'hmac-secret', data: { secrets: [] } },
        'invalid_credential',
        ['/data/secrets'],
      ],
      [{ name: 'v4', type: 'ftp-password', data: {} }, 'validation_failed', ['/type']],
      [
        { name: 'has space', type: 'slack-bot', data: { token: 't' } },
        'validation_failed',
        ['/name'],
      ],
      [{ name: 'v5', type: 'slack-bot' }, 'validation_failed', ['/data']],
      [
        { name: 'v6', type: 'slack-bot', data: { token: 't' }, id: 'x' },
        'validation_failed',
        ['/id'],
      ],
    ];
    for (const [body, code, paths] of cases) {
      const answer = await create(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe(code);
      expect(answer.body.error.details.map((detail) => detail.path)).toEqual(
        expect.arrayContaining(paths),
      );
    }
    const created = await create({
      name: 'v-ok',
      type: 'http-basic',
      data: { username: 'u', password: 'p' },
    });
    const badUpdate = await hookflow.api<ErrorView>('PUT', `/api/credentials/${created.body.id}`, {
      body: { data: { username: 'u' } },
    });
    expect(badUpdate.status).toBe(400);
    expect(badUpdate.body.error.details).toEqual([
      { path: '/data/password', message: 'is required' },
    ]);
    const typeChange = await hookflow.api<ErrorView>('PUT', `/api/credentials/${created.body.id}`, {
      body: { type: 'http-bearer', data: { token: 't' } },
    });
    expect(typeChange.status).toBe(400);
    expect(typeChange.body.error.details.map((detail) => detail.path)).toEqual(['/type']);
    expect(await count()).toBe(before + 1);
  });

  it('answers 409 for a name that is taken, keeping the first credential', async () => {
    const first = await create({ name: 'dup', type: 'slack-bot', data: { token: 'first' } });
    expect(first.status).toBe(201);
    const second = await create({ name: 'dup', type: 'http-bearer', data: { token: 'second' } });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'conflict',
      details: [{ path: '/name', message: 'is already taken' }],
    });
    const resolved = await hookflow.app.get(CredentialsService).resolve('dup');
    expect(resolved).toEqual({ type: 'slack-bot', data: { token: 'first' } });
  });

  it('requires the API key', async () => {
    expect((await hookflow.api('GET', '/api/credentials', { auth: false })).status).toBe(401);
    const answer = await hookflow.api('POST', '/api/credentials', {
      auth: 'Bearer wrong',
      body: { name: 'x', type: 'slack-bot', data: { token: 't' } },
    });
    expect(answer.status).toBe(401);
  });

  it('never lets a secret out: API answers, database rows, flow export', async () => {
    const answers: HttpAnswer[] = [];
    const record = async <T>(answer: Promise<HttpAnswer<T>>) => {
      const done = await answer;
      answers.push(done);
      return done;
    };
    const secrets = {
      bearer: secret('leak-bearer'),
      password: secret('leak-password'),
      header: secret('leak-header'),
      client: secret('leak-client'),
      hmacNew: secret('leak-hmac-new'),
      hmacOld: secret('leak-hmac-old'),
      slack: secret('leak-slack'),
      replaced: secret('leak-replaced'),
      refused: secret('leak-refused'),
    };
    const bodies = [
      { name: 'leak-bearer', type: 'http-bearer', data: { token: secrets.bearer } },
      {
        name: 'leak-basic',
        type: 'http-basic',
        data: { username: 'u', password: secrets.password },
      },
      { name: 'leak-header', type: 'http-header', data: { name: 'X-Key', value: secrets.header } },
      {
        name: 'leak-oauth',
        type: 'oauth2-client',
        data: { tokenUrl: 'https://a.example/t', clientId: 'c', clientSecret: secrets.client },
      },
      {
        name: 'leak-hmac',
        type: 'hmac-secret',
        data: { secrets: [secrets.hmacNew, secrets.hmacOld] },
      },
      {
        name: 'leak-slack',
        type: 'slack-webhook',
        data: { url: `https://hooks.slack.com/${secrets.slack}` },
      },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const answer = await record(
        hookflow.api<CredentialView>('POST', '/api/credentials', { body }),
      );
      expect(answer.status).toBe(201);
      ids.push(answer.body.id);
    }
    await record(hookflow.api('GET', '/api/credentials'));
    for (const id of ids) await record(hookflow.api('GET', `/api/credentials/${id}`));
    const updated = await record(
      hookflow.api('PUT', `/api/credentials/${ids[0]}`, {
        body: { data: { token: secrets.replaced } },
      }),
    );
    expect(updated.status).toBe(200);
    // Refusals do not quote what they refuse.
    const refused = await record(
      hookflow.api('PUT', `/api/credentials/${ids[5]}`, {
        body: { data: { url: `http://${secrets.refused}`, [secrets.refused]: secrets.refused } },
      }),
    );
    expect(refused.status).toBe(400);

    const flow = linearFlow('http://127.0.0.1:9');
    const nodes = flow.nodes.map((node) =>
      node.id === 'notify' ? { ...node, credential: 'leak-bearer' } : node,
    );
    const created = await record(
      hookflow.api<{ id: string }>('POST', '/api/flows', { body: { ...flow, nodes } }),
    );
    expect(created.status).toBe(201);
    const exported = await record(hookflow.api('GET', `/api/flows/${created.body.id}/export`));
    expect(JSON.stringify(exported.body)).toContain('"credential":"leak-bearer"');
    await record(hookflow.api('GET', `/api/flows/${created.body.id}`));

    const rows: Array<Record<string, unknown>> = await hookflow.app
      .get(Database)
      .dataSource.query('SELECT * FROM credentials');
    expect(rows.length).toBeGreaterThanOrEqual(bodies.length);
    const stored = JSON.stringify(rows);
    const answered = answers.map((answer) => JSON.stringify(answer.body)).join('\n');
    for (const [label, value] of Object.entries(secrets)) {
      expect({ label, inAnswers: answered.includes(value) }).toEqual({ label, inAnswers: false });
      expect({ label, inRows: stored.includes(value) }).toEqual({ label, inRows: false });
    }
    // ... while the store still holds them, encrypted.
    const resolver = hookflow.app.get(CredentialsService);
    expect(await resolver.resolve('leak-bearer')).toEqual({
      type: 'http-bearer',
      data: { token: secrets.replaced },
    });
  });
});
