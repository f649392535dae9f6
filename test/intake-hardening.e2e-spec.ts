import { createHmac } from 'node:crypto';
import type { DeliveryPage } from './support/deliveries';
import { eachMode, type RunningHookflow } from './support/modes';
import { waitFor } from './support/wait-for';

interface FlowView {
  id: string;
  enabled: boolean;
  triggers: Array<{ path: string }>;
}
interface ErrorView {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

const webhook = (params: Record<string, unknown>, more: unknown[] = [], edges: unknown[] = []) => ({
  name: 'hardening',
  nodes: [
    { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' }, ...params } },
    ...more,
  ],
  edges,
});

/** Issue #14, intake correctness: each test fails on the code before the fix it names. */
eachMode((mode) => {
  let hookflow: RunningHookflow;
  beforeAll(async () => {
    hookflow = await mode.start();
  });
  afterAll(async () => hookflow?.stop());

  async function createFlow(document: unknown): Promise<FlowView> {
    const answer = await hookflow.api.api<FlowView>('POST', '/api/flows', { body: document });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  it('refuses an empty ipAllow at save, naming its path (it used to let everybody in)', async () => {
    const answer = await hookflow.api.api<ErrorView>('POST', '/api/flows', {
      body: webhook({ ipAllow: [] }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: '/nodes/0/params/ipAllow', message: expect.stringMatching(/empty/) },
    ]);
  });

  it('logs a when-finished delivery with the status it was answered (201), not 202', async () => {
    const flow = await createFlow(
      webhook(
        { respond: 'when-finished' },
        [{ id: 'answer', type: 'respond', params: { status: 201, body: "{ 'ok': true }" } }],
        [{ from: 'hook', to: 'answer' }],
      ),
    );
    const answer = await hookflow.api.post(flow.triggers[0].path, '{"n":1}');
    expect(answer.status).toBe(201);
    const logged = await waitFor(
      'the delivery to be logged as answered',
      async () => {
        const page = await hookflow.api.api<DeliveryPage>(
          'GET',
          `/api/deliveries?flowId=${flow.id}`,
        );
        const status = page.body.items[0]?.status;
        return status === 201 ? status : undefined;
      },
      { attempts: 40 },
    );
    expect(logged).toBe(201);
  });

  it('refuses bodies that are not valid UTF-8 with 400 naming the byte offset', async () => {
    const flow = await createFlow(webhook({}));
    const url = hookflow.api.url + flow.triggers[0].path;
    const postBytes = async (bytes: Buffer, contentType: string) => {
      const response = await fetch(url, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': contentType },
      });
      return { status: response.status, body: (await response.json()) as ErrorView };
    };
    // {"name":"<an encoded lone surrogate, U+D800>"}: JSON.parse would turn it into U+FFFD.
    const surrogate = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    const json = await postBytes(surrogate, 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.error.message).toBe(
      'body is not valid UTF-8: invalid byte sequence at byte offset 9',
    );
    const form = Buffer.concat([Buffer.from('a=1&b='), Buffer.from([0xff])]);
    const formAnswer = await postBytes(form, 'application/x-www-form-urlencoded; charset=UTF-8');
    expect(formAnswer.status).toBe(400);
    expect(formAnswer.body.error.message).toMatch(/byte offset 6$/);
    const text = Buffer.from([0x68, 0xe9, 0x21]); // "hé!" in Latin-1
    expect((await postBytes(text, 'text/plain; charset=utf-8')).status).toBe(400);
    expect((await postBytes(text, 'text/plain; charset=iso-8859-1')).status).toBe(202);
    expect((await postBytes(Buffer.from('{"name":"é"}'), 'application/json')).status).toBe(202);
  });

  it('accepts the documented body params: xmlArrayElements and the limits', async () => {
    const flow = await createFlow(
      webhook({
        respond: 'when-finished',
        xmlArrayElements: ['item'],
        maxDepth: 3,
        maxKeysPerObject: 2,
      }),
    );
    const path = flow.triggers[0].path;
    const xml = await hookflow.api.post(path, '<order><item>a</item></order>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(200);
    expect(xml.body).toEqual({ order: { item: ['a'] } });
    const deep = await hookflow.api.post(path, '{"a":{"b":{"c":{}}}}');
    expect(deep.status).toBe(400);
    expect((deep.body as ErrorView).error.message).toBe(
      'body nests deeper than 3 levels (limit maxDepth)',
    );
    const wide = await hookflow.api.post(path, '{"a":1,"b":2,"c":3}');
    expect(wide.status).toBe(400);
    expect((wide.body as ErrorView).error.message).toMatch(/limit maxKeysPerObject/);
    const multipart = await createFlow(webhook({ maxParts: 1, maxFileBytes: 4 }));
    const form = new FormData();
    form.append('a', '1');
    form.append('b', '2');
    const parts = await fetch(hookflow.api.url + multipart.triggers[0].path, {
      method: 'POST',
      body: form,
    });
    expect(parts.status).toBe(400);
    const file = new FormData();
    file.append('cv', new Blob(['12345'], { type: 'text/plain' }), 'cv.txt');
    const big = await fetch(hookflow.api.url + multipart.triggers[0].path, {
      method: 'POST',
      body: file,
    });
    expect(big.status).toBe(413);
  });

  it("accepts the generic hmac scheme's documented signedContent object", async () => {
    const created = await hookflow.api.api('POST', '/api/credentials', {
      body: {
        name: `hmac-${mode.queue ? 'q' : 'e'}-${Date.now()}`,
        type: 'hmac-secret',
        data: { secrets: ['s3cret'] },
      },
    });
    expect(created.status).toBe(201);
    const credential = (created.body as { name: string }).name;
    const flow = await createFlow(
      webhook({
        auth: {
          scheme: 'hmac',
          credential,
          header: 'X-Signature',
          algorithm: 'sha256',
          encoding: 'hex',
          signedContent: { kind: 'timestamp-body', timestampHeader: 'X-Timestamp', separator: ':' },
        },
      }),
    );
    const body = '{"ok":true}';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', 's3cret').update(`${timestamp}:${body}`).digest('hex');
    const signed = await hookflow.api.post(flow.triggers[0].path, body, {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': signature,
    });
    expect(signed.status).toBe(202);
    const bodyOnly = createHmac('sha256', 's3cret').update(body).digest('hex');
    const wrong = await hookflow.api.post(flow.triggers[0].path, body, {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': bodyOnly,
    });
    expect(wrong.status).toBe(401);
  });

  it('reports a trigger credential that is missing, of the wrong type or not base64 when the flow is saved', async () => {
    const suffix = `${mode.queue ? 'q' : 'e'}-${Date.now()}`;
    const credentials: Array<[string, string, Record<string, unknown>]> = [
      [`svix-${suffix}`, 'hmac-secret', { secrets: ['whsec_not*base64!'] }],
      [`slack-${suffix}`, 'slack-webhook', { url: 'https://hooks.slack.com/services/T/B/X' }],
    ];
    for (const [name, type, data] of credentials) {
      const created = await hookflow.api.api('POST', '/api/credentials', {
        body: { name, type, data },
      });
      expect(created.status).toBe(201);
    }
    const withAuth = (auth: Record<string, unknown>, enabled?: boolean) => ({
      ...webhook({ auth }),
      ...(enabled === undefined ? {} : { enabled }),
    });
    const path = '/nodes/0/params/auth/credential';
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ scheme: 'github', credential: `missing-${suffix}` }, /does not exist/],
      [{ scheme: 'github', credential: `slack-${suffix}` }, /is of type slack-webhook/],
      [{ scheme: 'standard-webhooks', credential: `svix-${suffix}` }, /not a whsec_ base64 secret/],
    ];
    for (const [auth, message] of cases) {
      const refused = await hookflow.api.api<ErrorView>('POST', '/api/flows', {
        body: withAuth(auth),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([
        { path, message: expect.stringMatching(message) },
      ]);
      expect(JSON.stringify(refused.body)).not.toContain('not*base64');
      // Saved disabled, with the same problems in the answer; enabling it is refused.
      const saved = await hookflow.api.api<FlowView & { problems: unknown[] }>(
        'POST',
        '/api/flows',
        {
          body: withAuth(auth, false),
        },
      );
      expect(saved.status).toBe(201);
      expect(saved.body.enabled).toBe(false);
      expect(saved.body.problems).toEqual([{ path, message: expect.stringMatching(message) }]);
      const enable = await hookflow.api.api<ErrorView>(
        'POST',
        `/api/flows/${saved.body.id}/enable`,
      );
      expect(enable.status).toBe(400);
      expect(enable.body.error.details[0].path).toBe(path);
    }
    // An import is saved disabled, with the problems in the answer.
    const imported = await hookflow.api.api<FlowView & { problems: unknown[] }>(
      'POST',
      '/api/flows/import',
      { body: { format: 'hookflow.flow/v1', ...withAuth(cases[1][0]) } },
    );
    expect(imported.status).toBe(201);
    expect(imported.body.enabled).toBe(false);
    expect(imported.body.problems).toEqual([{ path, message: expect.stringMatching(cases[1][1]) }]);
  });

  it('keeps multipart file bytes up to maxAttachmentBytes for the flow to read', async () => {
    const flow = await createFlow(
      webhook(
        { respond: 'when-finished', maxAttachmentBytes: 16 },
        [
          {
            id: 'read',
            type: 'transform',
            params: {
              expression:
                "{ 'note': $base64decode(note.content), 'type': note.contentType, 'big': big.size, 'bigContent': $exists(big.content), 'name': name }",
            },
          },
        ],
        [{ from: 'hook', to: 'read' }],
      ),
    );
    const form = new FormData();
    form.append('name', 'Ann');
    form.append('note', new Blob(['hello, file'], { type: 'text/plain' }), 'note.txt');
    form.append('big', new Blob(['x'.repeat(17)], { type: 'application/octet-stream' }), 'big.bin');
    const response = await fetch(hookflow.api.url + flow.triggers[0].path, {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      note: 'hello, file',
      type: 'text/plain',
      big: 17,
      bigContent: false,
      name: 'Ann',
    });
  });

  it("replays a delivery with its trigger's body params (xmlArrayElements)", async () => {
    const flow = await createFlow(webhook({ xmlArrayElements: ['item'] }));
    const posted = await hookflow.api.post(flow.triggers[0].path, '<order><item>a</item></order>', {
      'content-type': 'application/xml',
    });
    expect(posted.status).toBe(202);
    const page = await hookflow.api.api<DeliveryPage>('GET', `/api/deliveries?flowId=${flow.id}`);
    const replayed = await hookflow.api.api<{ executionId: string }>(
      'POST',
      `/api/deliveries/${page.body.items[0].id}/replay`,
    );
    expect(replayed.status).toBe(202);
    const execution = await hookflow.api.api<{ trigger: { body: unknown } }>(
      'GET',
      `/api/executions/${replayed.body.executionId}`,
    );
    expect(execution.body.trigger.body).toEqual({ order: { item: ['a'] } });
  });
});
