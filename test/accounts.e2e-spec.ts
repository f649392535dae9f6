import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createLogger, loadConfig, sha256Hex } from '@hookflow/common';
import { ApiKeysService, createApp } from '@hookflow/api';
import { ALL_MIGRATIONS, dataSourceOptions } from '@hookflow/store';
import Redis from 'ioredis';
import {
  eachDatabase,
  postgres,
  queueModeSkip,
  REDIS_TEST_URL,
  sqlite,
  type TestDatabase,
} from './support/databases';
import { linearFlow } from './support/flows';
import {
  call,
  startTestApp,
  TEST_API_KEY,
  TEST_ENCRYPTION_KEY,
  type HttpAnswer,
  type TestApp,
} from './support/test-app';

interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
}
interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  owner: { id: string; email: string } | null;
  key?: string;
}
interface AuditView {
  items: Array<{
    actor: { kind: string; id: string; name: string };
    action: string;
    target: { type: string; id: string | null };
    summary: Record<string, unknown>;
  }>;
  total: number;
}
interface ErrorView {
  error: { code: string; message: string };
}

const OWNER = { email: 'Owner@Example.com', password: 'correct horse battery', name: 'Olive' };
const SINK = 'http://127.0.0.1:9';

/** The session token from a Set-Cookie answer, and the cookie's attributes. */
function sessionCookie(answer: HttpAnswer): { cookie: string; attributes: string[] } {
  const header = answer.headers
    .getSetCookie()
    .find((value) => value.startsWith('hookflow_session='));
  if (!header) throw new Error(`no session cookie in ${JSON.stringify(answer.headers)}`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { cookie: pair, attributes };
}

/** Owners, sessions, scoped keys and the audit log, on SQLite and PostgreSQL. */
eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;

  beforeEach(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
  });
  afterEach(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  const setup = () => hookflow.api<UserView>('POST', '/api/setup', { body: OWNER, auth: false });
  const signIn = (password: string, email = OWNER.email) =>
    hookflow.api<UserView>('POST', '/api/session', { body: { email, password }, auth: false });
  /** A call as a signed-in browser: the cookie, plus the CSRF header unless `csrf: false`. */
  const asBrowser = <T>(
    cookie: string,
    method: string,
    path: string,
    options: { body?: unknown; csrf?: boolean; headers?: Record<string, string> } = {},
  ) =>
    hookflow.api<T>(method, path, {
      auth: false,
      body: options.body,
      headers: {
        cookie,
        ...(options.csrf === false ? {} : { 'x-hookflow-csrf': '1' }),
        ...options.headers,
      },
    });
  const withKey = (key: string) => `Bearer ${key}`;

  it('creates the owner once (then 409) and signs them in with a strict, HttpOnly cookie', async () => {
    const before = await hookflow.api('GET', '/api/session', { auth: false });
    expect(before.body).toEqual({ setupNeeded: true, user: null, principal: null });

    const created = await setup();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'owner@example.com',
      name: 'Olive',
      role: 'owner',
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password|scrypt/i);
    const { cookie, attributes } = sessionCookie(created);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attributes).not.toContain('Secure');

    const again = await hookflow.api<ErrorView>('POST', '/api/setup', {
      body: { ...OWNER, email: 'second@example.com' },
      auth: false,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const audit = await hookflow.api<AuditView>('GET', '/api/audit?targetType=user');
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'user.setup',
        actor: { kind: 'user', id: created.body.id, name: 'owner@example.com' },
        target: { type: 'user', id: created.body.id },
        summary: { email: 'owner@example.com', name: 'Olive', role: 'owner' },
      }),
    ]);

    const me = await asBrowser<{ setupNeeded: boolean; user: UserView }>(
      cookie,
      'GET',
      '/api/session',
    );
    expect(me.body).toMatchObject({ setupNeeded: false, user: { email: 'owner@example.com' } });
  });

  it('signs in with a password: wrong is 401, the session reads and writes with the CSRF header only, sign-out ends it', async () => {
    await setup();
    const wrong = await signIn('not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const right = await signIn(OWNER.password);
    expect(right.status).toBe(200);
    const { cookie } = sessionCookie(right);

    expect((await asBrowser(cookie, 'GET', '/api/flows', { csrf: false })).status).toBe(200);
    const forged = await asBrowser<ErrorView>(cookie, 'POST', '/api/flows', {
      body: linearFlow(SINK),
      csrf: false,
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toMatch(/X-Hookflow-CSRF/);
    const crossSite = await asBrowser(cookie, 'POST', '/api/flows', {
      body: linearFlow(SINK),
      csrf: false,
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await asBrowser(cookie, 'POST', '/api/flows', {
      body: linearFlow(SINK),
      csrf: false,
      headers: { origin: hookflow.url },
    });
    expect(sameSite.status).toBe(201);
    expect((await asBrowser(cookie, 'POST', '/api/flows', { body: linearFlow(SINK) })).status).toBe(
      201,
    );

    const signedOut = await asBrowser(cookie, 'DELETE', '/api/session');
    expect(signedOut.status).toBe(204);
    expect(sessionCookie(signedOut).cookie).toBe('hookflow_session=');
    expect((await asBrowser(cookie, 'GET', '/api/flows')).status).toBe(401);
  });

  it('answers 429 after repeated wrong passwords for one email, even to the right one', async () => {
    await setup();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signIn(`guess ${attempt}`)).status).toBe(401);
    }
    const limited = await signIn(OWNER.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((limited.body as unknown as ErrorView).error.code).toBe('rate_limited');
  });

  it('creates, lists and revokes scoped keys; a revoked key is refused at once', async () => {
    const { cookie } = sessionCookie(await setup());
    const created = await asBrowser<KeyView>(cookie, 'POST', '/api/keys', {
      body: { name: 'reporting', scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'reporting',
      scopes: ['read'],
      revokedAt: null,
      owner: { email: 'owner@example.com' },
    });
    const key = created.body.key as string;
    expect(key).toMatch(/^hf_/);
    expect(created.body.prefix).toBe(key.slice(0, 8));

    const flows = await hookflow.api('GET', '/api/flows', { auth: withKey(key) });
    expect(flows.status).toBe(200);
    const write = await hookflow.api<ErrorView>('POST', '/api/flows', {
      auth: withKey(key),
      body: linearFlow(SINK),
    });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({
      code: 'forbidden',
      message: 'this key lacks the "write" scope',
    });

    const listed = await hookflow.api<{ items: KeyView[] }>('GET', '/api/keys');
    const listedKey = listed.body.items.find((item) => item.id === created.body.id);
    expect(listedKey).toMatchObject({ name: 'reporting', scopes: ['read'] });
    expect(listedKey?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.items.map((item) => item.name)).toContain('HOOKFLOW_API_KEY');

    const revoked = await hookflow.api('DELETE', `/api/keys/${created.body.id}`);
    expect(revoked.status).toBe(204);
    expect((await hookflow.api('GET', '/api/flows', { auth: withKey(key) })).status).toBe(401);
    const after = await hookflow.api<{ items: KeyView[] }>('GET', '/api/keys');
    expect(after.body.items.find((item) => item.id === created.body.id)?.revokedAt).not.toBeNull();
    expect(
      (await hookflow.api('DELETE', '/api/keys/7d1f3c36-0a55-4c1e-9f0e-3c9a3c1f0b11')).status,
    ).toBe(404);
  });

  it('members and write keys are refused the admin routes (403)', async () => {
    await setup();
    const member = await hookflow.api<UserView>('POST', '/api/users', {
      body: { email: 'member@example.com', password: 'member password 1' },
    });
    expect(member.status).toBe(201);
    expect(member.body.role).toBe('member');
    const { cookie } = sessionCookie(await signIn('member password 1', 'member@example.com'));
    expect((await asBrowser(cookie, 'GET', '/api/flows')).status).toBe(200);
    const refused = await asBrowser<ErrorView>(cookie, 'GET', '/api/keys');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('this account lacks the "admin" scope');

    const writer = await hookflow.api<KeyView>('POST', '/api/keys', {
      body: { name: 'ci', scopes: ['write'] },
    });
    const auth = withKey(writer.body.key as string);
    expect(
      (await hookflow.api('POST', '/api/flows', { auth, body: linearFlow(SINK) })).status,
    ).toBe(201);
    expect((await hookflow.api('GET', '/api/audit', { auth })).status).toBe(403);
    const escalate = await hookflow.api('POST', '/api/keys', {
      auth,
      body: { name: 'sneaky', scopes: ['admin'] },
    });
    expect(escalate.status).toBe(403);
    expect((await hookflow.api('GET', '/api/flows', { auth: false })).status).toBe(401);
  });

  it('audits flow, credential and key changes with their actor, and never a secret', async () => {
    const flow = await hookflow.api<{ id: string }>('POST', '/api/flows', {
      body: { ...linearFlow(SINK), name: 'audited' },
    });
    await hookflow.api('PUT', `/api/flows/${flow.body.id}`, {
      body: { ...linearFlow(SINK), name: 'audited v2' },
    });
    await hookflow.api('DELETE', `/api/flows/${flow.body.id}`);
    const credential = await hookflow.api<{ id: string }>('POST', '/api/credentials', {
      body: { name: 'slack-audit', type: 'slack-bot', data: { token: 'xoxb-super-secret-value' } },
    });
    expect(credential.status).toBe(201);
    const key = await hookflow.api<KeyView>('POST', '/api/keys', {
      body: { name: 'audited key', scopes: ['read', 'write'] },
    });
    await hookflow.api('DELETE', `/api/keys/${key.body.id}`);

    const audit = await hookflow.api<AuditView>('GET', '/api/audit?limit=200');
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((entry) => [entry.action, entry.target.id]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['flow.create', flow.body.id],
        ['flow.update', flow.body.id],
        ['flow.delete', flow.body.id],
        ['credential.create', credential.body.id],
        ['key.create', key.body.id],
        ['key.revoke', key.body.id],
      ]),
    );
    for (const entry of audit.body.items) {
      expect(entry.actor).toMatchObject({ kind: 'api-key', name: 'HOOKFLOW_API_KEY' });
    }
    const byAction = (action: string) =>
      audit.body.items.find((entry) => entry.action === action)?.summary;
    expect(byAction('flow.update')).toMatchObject({ name: 'audited v2' });
    expect(byAction('credential.create')).toEqual({ name: 'slack-audit', type: 'slack-bot' });
    expect(byAction('key.create')).toMatchObject({
      name: 'audited key',
      scopes: ['read', 'write'],
    });
    expect(byAction('key.revoke')).toMatchObject({ name: 'audited key' });
    const text = JSON.stringify(audit.body);
    expect(text).not.toContain('xoxb-super-secret-value');
    expect(text).not.toContain(key.body.key as string);
    expect(text).not.toContain(TEST_API_KEY);

    const flowOnly = await hookflow.api<AuditView>(
      'GET',
      `/api/audit?targetType=flow&targetId=${flow.body.id}`,
    );
    expect(flowOnly.body.items.map((entry) => entry.action)).toEqual([
      'flow.delete',
      'flow.update',
      'flow.create',
    ]);
    expect(flowOnly.body.total).toBe(3);
  });
});

describe('accounts behind https', () => {
  let database: TestDatabase;
  let hookflow: TestApp;

  beforeAll(async () => {
    database = await sqlite.create();
    hookflow = await startTestApp({
      ...database.env,
      HOOKFLOW_PUBLIC_URL: 'https://hookflow.example.com',
    });
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  it('marks the session cookie Secure when HOOKFLOW_PUBLIC_URL is https', async () => {
    const created = await call(`${hookflow.url}/api/setup`, 'POST', {
      body: JSON.stringify(OWNER),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(sessionCookie(created).attributes).toContain('Secure');
  });
});

/** Upgrading and the CLI: keys from before scopes, and the in-process local token. */
eachDatabase((target) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await target.create();
  });
  afterEach(async () => {
    await database?.drop();
  });

  /** The configuration startTestApp would use, for building the app by hand. */
  const configFor = (env: Record<string, string>) =>
    loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      HOOKFLOW_API_KEY: TEST_API_KEY,
      HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'silent',
      HOOKFLOW_BANNER: 'false',
      ...env,
    });

  it('keeps a key stored before scopes existed working, as an admin key', async () => {
    const config = configFor(database.env);
    const options = dataSourceOptions(config.database);
    const before = new DataSource({
      ...options,
      // The schema as it was before accounts (1732000000006).
      migrations: ALL_MIGRATIONS.filter(
        (migration) => Number(/\d+$/.exec(migration.name)?.[0]) < 1732000000006,
      ),
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'all' });
    const oldKey = 'hf_from-before-accounts-0123456789';
    await before.query(
      `INSERT INTO api_keys (id, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5)`.replace(
        /\$\d/g,
        (match) => (options.type === 'postgres' ? match : '?'),
      ),
      [
        randomUUID(),
        'old key',
        oldKey.slice(0, 8),
        sha256Hex(oldKey),
        // How TypeORM writes a datetime on SQLite (UTC, no T/Z); PostgreSQL reads it too.
        new Date().toISOString().replace('T', ' ').replace('Z', ''),
      ],
    );
    await before.destroy();

    const hookflow = await startTestApp(database.env);
    try {
      const keys = await hookflow.api<{ items: KeyView[] }>('GET', '/api/keys', {
        auth: `Bearer ${oldKey}`,
      });
      expect(keys.status).toBe(200);
      expect(keys.body.items.find((key) => key.name === 'old key')?.scopes).toEqual([
        'read',
        'write',
        'admin',
      ]);
    } finally {
      await hookflow.close();
    }
  });

  it("createApp's localToken stands for the CLI with every scope, and is never stored", async () => {
    const localToken = `local-${randomUUID()}`;
    const { app } = await createApp({
      config: configFor(database.env),
      logger: createLogger('silent'),
      localToken,
    });
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: { authorization: `Bearer ${localToken}` },
        payload: { name: 'made by the cli', scopes: ['admin'] },
      });
      expect(created.statusCode).toBe(201);
      const audit = await app.inject({
        method: 'GET',
        url: '/api/audit?targetType=key',
        headers: { authorization: `Bearer ${localToken}` },
      });
      expect(audit.json<AuditView>().items[0]).toMatchObject({
        action: 'key.create',
        actor: { kind: 'local', id: 'local', name: 'cli' },
      });
      const keys = await app.get(ApiKeysService).list();
      expect(keys.map((key) => key.prefix)).not.toContain(localToken.slice(0, 8));
      const wrong = await app.inject({
        method: 'GET',
        url: '/api/flows',
        headers: { authorization: `Bearer ${localToken}x` },
      });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

const queueSkip = queueModeSkip();
const describeQueue = queueSkip ? describe.skip : describe;

describeQueue(`the queue dashboard${queueSkip ? ` (SKIPPED: ${queueSkip})` : ''}`, () => {
  let database: TestDatabase;
  let hookflow: TestApp;
  const prefix = `hf-e2e-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    database = await postgres.create();
    hookflow = await startTestApp({
      ...database.env,
      REDIS_URL: REDIS_TEST_URL,
      HOOKFLOW_QUEUE_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
    const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('admits admin keys and owner sessions only', async () => {
    const reader = await hookflow.api<KeyView>('POST', '/api/keys', {
      body: { name: 'reader', scopes: ['read', 'write'] },
    });
    const asReader = await hookflow.api('GET', '/admin/queues', {
      auth: `Basic ${Buffer.from(`ops:${reader.body.key}`).toString('base64')}`,
    });
    expect(asReader.status).toBe(403);
    expect((await hookflow.api('GET', '/admin/queues/api/queues')).status).toBe(200);

    const created = await hookflow.api<UserView>('POST', '/api/setup', {
      body: OWNER,
      auth: false,
    });
    const { cookie } = sessionCookie(created);
    const asOwner = await hookflow.api('GET', '/admin/queues/api/queues', {
      auth: false,
      headers: { cookie },
    });
    expect(asOwner.status).toBe(200);
  });
});
