import { eachDatabase, type TestDatabase } from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface FlowView {
  triggers: Array<{ path: string; hookId: string }>;
}
interface DeliveryView {
  id: string;
  status: number;
  reason: string | null;
  headers: Record<string, string>;
}
interface ExecutionView {
  status: string;
  error: { code: string; message: string } | null;
  steps: Array<{ nodeId: string; output?: unknown; error?: { code: string; message: string } }>;
}
interface ErrorView {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

const GITLAB_TOKEN = 'gl-5ecret-token-never-stored-8841';
const FORM_KEY = 'fk-5ecret-form-key-never-stored-2290';
const API_TOKEN = 'api-5ecret-bearer-token-near-the-cut-7710';

/** Secrets a sender, a flow author or a target must never see: items 4–7 of the hardening issue. */
eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let sink: Sink;

  beforeAll(async () => {
    database = await target.create();
    sink = await startSink();
    hookflow = await startTestApp(database.env);
    const credentials: Array<[string, string, Record<string, unknown>]> = [
      ['gitlab', 'hmac-secret', { secrets: [GITLAB_TOKEN] }],
      ['form-key', 'http-header', { name: 'X-Form-Key', value: FORM_KEY }],
      ['api', 'http-bearer', { token: API_TOKEN }],
    ];
    for (const [name, type, data] of credentials) await createCredential(name, type, data);
  });

  async function createCredential(name: string, type: string, data: Record<string, unknown>) {
    const created = await hookflow.api('POST', '/api/credentials', { body: { name, type, data } });
    expect(created.status).toBe(201);
  }
  afterAll(async () => {
    await hookflow?.close();
    await sink?.close();
    await database?.drop();
  });

  async function createFlow(trigger: Record<string, unknown>, nodes: unknown[]): Promise<FlowView> {
    const answer = await hookflow.api<FlowView>('POST', '/api/flows', {
      body: {
        name: 'secrets',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' }, ...trigger } },
          ...nodes,
        ],
        edges: nodes.map((node) => ({ from: 'hook', to: (node as { id: string }).id })),
      },
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  async function finished(executionId: string): Promise<ExecutionView> {
    return waitFor('the run to end', async () => {
      const view = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
    });
  }

  async function deliveries(hookId: string): Promise<DeliveryView[]> {
    const list = await hookflow.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/deliveries?hookId=${hookId}`,
    );
    return Promise.all(
      list.body.items.map(
        async (item) =>
          (await hookflow.api<DeliveryView>('GET', `/api/deliveries/${item.id}`)).body,
      ),
    );
  }

  const showHeaders = { id: 'seen', type: 'transform', params: { expression: '$trigger.headers' } };

  it.each([
    [
      'a header-token trigger (X-Gitlab-Token)',
      { scheme: 'header-token', header: 'X-Gitlab-Token', credential: 'gitlab' },
      'x-gitlab-token',
      GITLAB_TOKEN,
    ],
    [
      'an http-header credential (the header named in the credential)',
      { scheme: 'header-token', credential: 'form-key' },
      'x-form-key',
      FORM_KEY,
    ],
  ])(
    'redacts the token header of %s in the delivery log and in the run',
    async (_name, auth, header, token) => {
      const flow = await createFlow({ auth }, [showHeaders]);
      const path = flow.triggers[0].path;
      const accepted = await hookflow.post(path, '{}', {
        'content-type': 'application/json',
        [header]: token,
      });
      expect(accepted.status).toBe(202);
      const refused = await hookflow.post(path, '{}', {
        'content-type': 'application/json',
        [header]: `${token}-wrong`,
      });
      expect(refused.status).toBe(401);

      const run = await finished((accepted.body as { executionId: string }).executionId);
      const seen = run.steps.find((step) => step.nodeId === 'seen');
      expect(seen?.output).toMatchObject({ [header]: '[redacted]' });
      const logged = await deliveries(flow.triggers[0].hookId);
      expect(logged.map((delivery) => delivery.status).sort()).toEqual([202, 401]);
      for (const delivery of logged) expect(delivery.headers[header]).toBe('[redacted]');
      expect(JSON.stringify({ run, logged })).not.toContain(token);
    },
  );

  it('tells an anonymous sender nothing about the credential; the owner’s log has it', async () => {
    const created = await hookflow.api<{ id: string }>('POST', '/api/credentials', {
      body: { name: 'soon-deleted', type: 'hmac-secret', data: { secrets: ['s3cret-value'] } },
    });
    const flow = await createFlow({ auth: { scheme: 'github', credential: 'soon-deleted' } }, []);
    expect((await hookflow.api('DELETE', `/api/credentials/${created.body.id}`)).status).toBe(204);

    const answer = await hookflow.post(flow.triggers[0].path, '{}', {
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(401);
    const { error } = answer.body as ErrorView;
    expect(error).toEqual({
      code: 'unauthorized',
      message: 'cannot verify the sender',
      details: [],
    });
    const [logged] = await deliveries(flow.triggers[0].hookId);
    expect(logged.reason).toBe(
      'cannot verify the sender: credential "soon-deleted" does not exist',
    );
  });

  it('redacts a token echoed by a failing target before cutting the message', async () => {
    // The token starts ~182 characters in: cut at 200 first, its first 18 characters would stay.
    sink.reply(() => ({ status: 500, body: `${'x'.repeat(180)} ${API_TOKEN} trailing` }));
    const flow = await createFlow({}, [
      {
        id: 'call',
        type: 'http.request',
        credential: 'api',
        params: { method: 'GET', url: `${sink.url}/echo` },
      },
    ]);
    const accepted = await hookflow.post(flow.triggers[0].path, '{}');
    const run = await finished((accepted.body as { executionId: string }).executionId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('http_status');
    expect(run.error?.message).toContain('[redacted]');
    expect(run.error?.message).not.toContain(API_TOKEN.slice(0, 6));
  });

  it('sends a credential only to the hosts it is bound to', async () => {
    const bound = (allowedHosts: string[]) => ({ token: API_TOKEN, allowedHosts });
    await createCredential('api-bound-elsewhere', 'http-bearer', bound(['api.example.com']));
    await createCredential('api-bound-here', 'http-bearer', bound(['127.0.0.1']));
    sink.reply(() => ({ status: 200, body: { ok: true } }));
    const before = sink.received.length;
    const call = (credential: string) => ({
      id: 'call',
      type: 'http.request',
      credential,
      params: { method: 'GET', url: `${sink.url}/bound` },
    });
    const elsewhere = await createFlow({}, [call('api-bound-elsewhere')]);
    const refusedRun = await finished(
      ((await hookflow.post(elsewhere.triggers[0].path, '{}')).body as { executionId: string })
        .executionId,
    );
    expect(refusedRun.status).toBe('failed');
    expect(refusedRun.error?.code).toBe('credential_host_not_allowed');
    expect(refusedRun.error?.message).toBe(
      `credential "api-bound-elsewhere" may only be sent to api.example.com, not to ${new URL(sink.url).host}`,
    );
    expect(sink.received.length).toBe(before);

    const here = await createFlow({}, [call('api-bound-here')]);
    const sentRun = await finished(
      ((await hookflow.post(here.triggers[0].path, '{}')).body as { executionId: string })
        .executionId,
    );
    expect(sentRun.status).toBe('succeeded');
    expect(sink.received.at(-1)?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });

  it('shows allowedHosts back and refuses an entry that is not a host', async () => {
    const list = await hookflow.api<{ items: Array<{ name: string; fields: unknown }> }>(
      'GET',
      '/api/credentials',
    );
    expect(list.body.items.find((item) => item.name === 'api-bound-here')?.fields).toEqual({
      token: '••••',
      allowedHosts: ['127.0.0.1'],
    });
    const bad = await hookflow.api<ErrorView>('POST', '/api/credentials', {
      body: {
        name: 'bad-hosts',
        type: 'http-bearer',
        data: { token: 'whatever-token', allowedHosts: ['https://api.example.com/path'] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      {
        path: '/data/allowedHosts/0',
        message:
          'must be a host name (`api.example.com`, `*.example.com`), optionally with `:port`',
      },
    ]);
  });
});
