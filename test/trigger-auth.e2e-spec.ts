import { createHash, createHmac } from 'node:crypto';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';

interface FlowView {
  id: string;
  triggers: Array<{ path: string; hookId: string }>;
}
interface ErrorView {
  error: { code: string; message: string };
}

const hmac = (algorithm: string, secret: string, data: string, encoding: 'hex' | 'base64') =>
  createHmac(algorithm, secret).update(data).digest(encoding);

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
    const credentials: Array<[string, string, Record<string, unknown>]> = [
      ['github-secret', 'hmac-secret', { secrets: ["It's a Secret to Everybody"] }],
      ['stripe-signing', 'hmac-secret', { secrets: ['whsec_old_secret', 'whsec_new_secret'] }],
      ['twilio-token', 'hmac-secret', { secrets: ['12345'] }],
      ['form-login', 'http-basic', { username: 'forms', password: 'p4ss-w0rd' }],
    ];
    for (const [name, type, data] of credentials) {
      const created = await hookflow.api('POST', '/api/credentials', {
        body: { name, type, data },
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  async function flowWith(
    auth: Record<string, unknown>,
    more: Record<string, unknown> = {},
  ): Promise<FlowView> {
    const params = { auth, dedup: { mode: 'off' }, ...more };
    const answer = await hookflow.api<FlowView>('POST', '/api/flows', {
      body: {
        name: `auth ${String(auth.scheme)}`,
        nodes: [{ id: 'hook', type: 'trigger.webhook', params }],
        edges: [],
      },
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  it("accepts GitHub's documented example signature and rejects a tampered body", async () => {
    const flow = await flowWith({ scheme: 'github', credential: 'github-secret' });
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const ok = await hookflow.post(flow.triggers[0].path, 'Hello, World!', {
      'content-type': 'text/plain',
      'x-hub-signature-256': signature,
    });
    expect(ok.status).toBe(202);
    const tampered = await hookflow.post(flow.triggers[0].path, 'Hello, World?', {
      'content-type': 'text/plain',
      'x-hub-signature-256': signature,
    });
    expect(tampered.status).toBe(401);
    const body = tampered.body as ErrorView;
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).not.toContain('757107ea');
    const missing = await hookflow.post(flow.triggers[0].path, 'Hello, World!', {
      'content-type': 'text/plain',
    });
    expect(missing.status).toBe(401);
    expect((missing.body as ErrorView).error.message).toMatch(/X-Hub-Signature-256/i);
  });

  it('a forged flood does not 429 the real sender: unverified attempts have their own budget', async () => {
    const flow = await flowWith(
      { scheme: 'github', credential: 'github-secret' },
      { rateLimit: { requests: 3, perSeconds: 3600 } },
    );
    const path = flow.triggers[0].path;
    const post = (signature: string) =>
      hookflow.post(path, 'Hello, World!', {
        'content-type': 'text/plain',
        'x-hub-signature-256': signature,
      });
    const forged = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      forged.push((await post(`sha256=${'0'.repeat(64)}`)).status);
    }
    // The forger's own budget runs out: 3 refusals, then 429s.
    expect(forged).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    const real = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const genuine = [];
    for (let attempt = 0; attempt < 4; attempt += 1) genuine.push((await post(real)).status);
    // The real sender still has all of its budget, and the limit still holds for it.
    expect(genuine).toEqual([202, 202, 202, 429]);
  });

  it('verifies Stripe-Signature with a rotated secret and refuses a stale timestamp', async () => {
    const flow = await flowWith({ scheme: 'stripe', credential: 'stripe-signing' });
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded' });
    const sign = (timestamp: number, secret: string) =>
      `t=${timestamp},v1=${hmac('sha256', secret, `${timestamp}.${payload}`, 'hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const rotated = await hookflow.post(flow.triggers[0].path, payload, {
      'content-type': 'application/json',
      'stripe-signature': sign(now, 'whsec_new_secret'),
    });
    expect(rotated.status).toBe(202);
    const stale = await hookflow.post(flow.triggers[0].path, payload, {
      'content-type': 'application/json',
      'stripe-signature': sign(now - 3600, 'whsec_old_secret'),
    });
    expect(stale.status).toBe(401);
    expect((stale.body as ErrorView).error.message).toMatch(/timestamp/);
    const reserialised = await hookflow.post(
      flow.triggers[0].path,
      JSON.stringify(JSON.parse(payload), null, 2),
      {
        'content-type': 'application/json',
        'stripe-signature': sign(now, 'whsec_new_secret'),
      },
    );
    expect(reserialised.status).toBe(401);
  });

  it("verifies Twilio's signature over the configured URL and the sorted form fields", async () => {
    const url = 'https://hooks.example.com/twilio/sms';
    const flow = await flowWith({ scheme: 'twilio', credential: 'twilio-token', url });
    const fields: Array<[string, string]> = [
      ['From', '+14158675310'],
      ['Body', 'Ahoy'],
      ['To', '+18005550006'],
    ];
    const signed =
      url +
      [...fields]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => k + v)
        .join('');
    const signature = hmac('sha1', '12345', signed, 'base64');
    const form = new URLSearchParams(fields).toString();
    const ok = await hookflow.post(flow.triggers[0].path, form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    });
    expect(ok.status).toBe(202);
    const forged = await hookflow.post(flow.triggers[0].path, form.replace('Ahoy', 'Avast'), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    });
    expect(forged.status).toBe(401);
  });

  it('verifies a Twilio JSON request behind a proxy: configured base URL, received bodySHA256', async () => {
    const url = 'https://hooks.example.com/twilio/json';
    const flow = await flowWith({ scheme: 'twilio', credential: 'twilio-token', url });
    const payload = JSON.stringify({ MessageSid: 'SM1', Body: 'Ahoy' });
    const query = `?bodySHA256=${createHash('sha256').update(payload).digest('hex')}`;
    const signature = hmac('sha1', '12345', url + query, 'base64');
    const ok = await hookflow.post(flow.triggers[0].path + query, payload, {
      'content-type': 'application/json',
      'x-twilio-signature': signature,
    });
    expect(ok.status).toBe(202);
    const altered = await hookflow.post(
      flow.triggers[0].path + query,
      payload.replace('Ahoy', 'Avast'),
      {
        'content-type': 'application/json',
        'x-twilio-signature': signature,
      },
    );
    expect(altered.status).toBe(401);
    expect((altered.body as ErrorView).error.message).toMatch(/bodySHA256/);
  });

  it('checks basic auth against an http-basic credential and logs refusals with the reason', async () => {
    const flow = await flowWith({ scheme: 'basic-auth', credential: 'form-login' });
    const good = `Basic ${Buffer.from('forms:p4ss-w0rd').toString('base64')}`;
    const bad = `Basic ${Buffer.from('forms:guess').toString('base64')}`;
    expect(
      (
        await hookflow.post(flow.triggers[0].path, '{}', {
          'content-type': 'application/json',
          authorization: good,
        })
      ).status,
    ).toBe(202);
    const refused = await hookflow.post(flow.triggers[0].path, '{}', {
      'content-type': 'application/json',
      authorization: bad,
    });
    expect(refused.status).toBe(401);
    const log = await hookflow.api<{ items: Array<{ status: number; reason: string | null }> }>(
      'GET',
      `/api/deliveries?hookId=${flow.triggers[0].hookId}`,
    );
    expect(log.body.items[0]).toMatchObject({ status: 401 });
    expect(log.body.items[0].reason).toBeTruthy();
    expect(JSON.stringify(log.body)).not.toContain('p4ss-w0rd');
  });

  it('refuses every delivery when the named credential does not exist (saved disabled)', async () => {
    const answer = await hookflow.api<FlowView>('POST', '/api/flows', {
      body: {
        name: 'missing credential',
        enabled: false,
        nodes: [
          {
            id: 'hook',
            type: 'trigger.webhook',
            params: { auth: { scheme: 'github', credential: 'nobody-made-this' } },
          },
        ],
        edges: [],
      },
    });
    expect(answer.status).toBe(201);
    // The test URL runs a disabled flow: the trigger still cannot verify anyone.
    const delivery = await hookflow.post(
      answer.body.triggers[0].path.replace('/hooks/', '/hooks-test/'),
      '{}',
    );
    expect(delivery.status).toBe(401);
    // The sender is not told which credential is missing; the owner's delivery log is.
    expect((delivery.body as ErrorView).error.message).toBe('cannot verify the sender');
  });
});
