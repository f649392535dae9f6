import type {
  CredentialValue,
  OutboundRequest,
  OutboundResponse,
  RunError,
} from '@hookflow/engine';
import { clearTokenCache, TOKEN_CACHE_LIMIT } from './http-request-auth';
import { FakeHttp, recorded, runAction, type ActionRun } from './testing/run-action';

const TARGET = 'https://api.test/orders';
const TOKEN_URL = 'https://auth.test/oauth/token';
const CLIENT_SECRET = 'cs-very-secret-value';

const bearer = { type: 'http-bearer', data: { token: 'tok-bearer-secret' } };
const basic = { type: 'http-basic', data: { username: 'ada', password: 'pa55-w0rd:x' } };
const apiKey = { type: 'http-header', data: { name: 'X-Api-Key', value: 'key-secret-123' } };

function oauth2(data: Record<string, unknown> = {}): CredentialValue {
  return {
    type: 'oauth2-client',
    data: { tokenUrl: TOKEN_URL, clientId: 'hookflow', clientSecret: CLIENT_SECRET, ...data },
  };
}

const json = (status: number, body: unknown): OutboundResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A token endpoint handing out tok-1, tok-2, ... and a target answering `target` (200 `{}`). */
function oauthServer(
  options: {
    expiresIn?: unknown;
    target?: (request: OutboundRequest) => OutboundResponse;
  } = {},
): { http: FakeHttp; issued: () => number } {
  let issued = 0;
  const http = new FakeHttp((request) => {
    if (request.url === TOKEN_URL) {
      issued += 1;
      const expiry = 'expiresIn' in options ? options.expiresIn : 3600;
      return json(200, {
        access_token: `tok-${issued}`,
        token_type: 'Bearer',
        ...(expiry === undefined ? {} : { expires_in: expiry }),
      });
    }
    return options.target ? options.target(request) : json(200, {});
  });
  return { http, issued: () => issued };
}

function run(
  credential: CredentialValue | undefined,
  http: FakeHttp,
  params: Record<string, unknown> = {},
  retry?: { maxAttempts: number },
): Promise<ActionRun> {
  return runAction({
    type: 'http.request',
    params: { url: TARGET, ...params },
    credential,
    http,
    ...(retry ? { retry } : {}),
  });
}

function failure(result: ActionRun): RunError {
  if (result.step.status === 'succeeded') throw new Error('the node succeeded');
  return result.step.error;
}

beforeEach(() => clearTokenCache());

describe('http.request auth from the credential', () => {
  it('sends an http-bearer token as Authorization: Bearer', async () => {
    const http = new FakeHttp();
    await run(bearer, http);
    expect(http.requests[0].headers.authorization).toBe('Bearer tok-bearer-secret');
  });

  it('sends http-basic as Authorization: Basic base64(username:password)', async () => {
    const http = new FakeHttp();
    await run(basic, http);
    const expected = Buffer.from('ada:pa55-w0rd:x').toString('base64');
    expect(http.requests[0].headers.authorization).toBe(`Basic ${expected}`);
  });

  it('sends an http-header credential as that header, lowercased like the others', async () => {
    const http = new FakeHttp();
    await run(apiKey, http, { headers: { 'X-Trace': 't1' } });
    expect(http.requests[0].headers).toEqual({
      'x-trace': 't1',
      'x-api-key': 'key-secret-123',
      'content-type': 'application/json',
      'idempotency-key': 'exec-7:notify',
    });
  });

  it('lets the credential win over an Authorization header in the params', async () => {
    const http = new FakeHttp();
    await run(bearer, http, { headers: { Authorization: 'Bearer from-the-flow' } });
    expect(http.requests[0].headers.authorization).toBe('Bearer tok-bearer-secret');
  });

  it('fails with credential_type for any other credential, sending nothing', async () => {
    const http = new FakeHttp();
    const result = await run({ type: 'slack-bot', data: { token: 'xoxb-secret' } }, http);
    expect(failure(result)).toMatchObject({
      code: 'credential_type',
      message:
        'http.request needs an http-bearer, http-basic, http-header or oauth2-client ' +
        'credential, not slack-bot',
    });
    expect(http.requests).toHaveLength(0);
  });

  it('fails with credential_type when the credential lacks its secret', async () => {
    const result = await run({ type: 'http-bearer', data: {} }, new FakeHttp());
    expect(failure(result)).toMatchObject({ code: 'credential_type' });
  });

  it('fails, sending nothing, when the named credential does not exist', async () => {
    const http = new FakeHttp();
    const result = await run(undefined, http);
    expect(failure(result)).toMatchObject({ code: 'credential_missing' });
    expect(http.requests).toHaveLength(0);
  });
});

describe('http.request with an oauth2-client credential', () => {
  it('gets a token with the client credentials grant through ctx.http, then sends it', async () => {
    const { http } = oauthServer();
    const result = await run(oauth2({ scope: 'orders:write read' }), http);
    expect(result.step.status).toBe('succeeded');
    expect(http.requests.map((request) => request.url)).toEqual([TOKEN_URL, TARGET]);
    const [tokenRequest, call] = http.requests;
    expect(tokenRequest).toMatchObject({ method: 'POST', timeoutMs: 10_000 });
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'hookflow',
      client_secret: CLIENT_SECRET,
      scope: 'orders:write read',
    });
    expect(tokenRequest.body).toContain('scope=orders%3Awrite+read');
    expect(call.headers.authorization).toBe('Bearer tok-1');
  });

  it('sends no scope when the credential has none', async () => {
    const { http } = oauthServer();
    await run(oauth2(), http);
    expect(new URLSearchParams(http.requests[0].body).has('scope')).toBe(false);
  });

  it('reuses the token across runs while it is valid', async () => {
    const server = oauthServer();
    await run(oauth2(), server.http);
    await run(oauth2(), server.http);
    expect(server.issued()).toBe(1);
    expect(server.http.requests.map((request) => request.url)).toEqual([TOKEN_URL, TARGET, TARGET]);
    expect(server.http.requests[2].headers.authorization).toBe('Bearer tok-1');
  });

  it.each([
    ['expires within the 30 s margin', 30],
    ['gives no expires_in', undefined],
  ])('asks again next run when the token %s', async (_why, expiresIn) => {
    const server = oauthServer({ expiresIn });
    await run(oauth2(), server.http);
    await run(oauth2(), server.http);
    expect(server.issued()).toBe(2);
    expect(server.http.requests[3].headers.authorization).toBe('Bearer tok-2');
  });

  it('accepts expires_in as a numeric string', async () => {
    const server = oauthServer({ expiresIn: '3600' });
    await run(oauth2(), server.http);
    await run(oauth2(), server.http);
    expect(server.issued()).toBe(1);
  });

  it('does not share a token with another client id, scope or secret', async () => {
    const server = oauthServer();
    await run(oauth2(), server.http);
    await run(oauth2({ clientId: 'other' }), server.http);
    await run(oauth2({ scope: 'admin' }), server.http);
    await run(oauth2({ clientSecret: 'a-wrong-secret' }), server.http);
    expect(server.issued()).toBe(4);
  });

  it('keeps the cache bounded, dropping the client stored longest ago', async () => {
    const server = oauthServer();
    for (let index = 0; index <= TOKEN_CACHE_LIMIT; index += 1) {
      await run(oauth2({ clientId: `client-${index}` }), server.http);
    }
    expect(server.issued()).toBe(TOKEN_CACHE_LIMIT + 1);
    await run(oauth2({ clientId: `client-${TOKEN_CACHE_LIMIT}` }), server.http);
    await run(oauth2({ clientId: 'client-1' }), server.http);
    expect(server.issued()).toBe(TOKEN_CACHE_LIMIT + 1);
    await run(oauth2({ clientId: 'client-0' }), server.http);
    expect(server.issued()).toBe(TOKEN_CACHE_LIMIT + 2);
  });

  it('gets a new token once when the target refuses the cached one with 401', async () => {
    let revoked = false;
    const server = oauthServer({
      target: (request) =>
        revoked && request.headers.authorization === 'Bearer tok-1'
          ? json(401, { error: 'token revoked' })
          : json(200, { ok: true }),
    });
    await run(oauth2(), server.http);
    revoked = true;
    const second = await run(oauth2(), server.http);
    expect(second.step).toMatchObject({ status: 'succeeded', output: { status: 200 } });
    expect(
      server.http.requests.map((request) => [request.url, request.headers.authorization]),
    ).toEqual([
      [TOKEN_URL, undefined],
      [TARGET, 'Bearer tok-1'],
      [TARGET, 'Bearer tok-1'],
      [TOKEN_URL, undefined],
      [TARGET, 'Bearer tok-2'],
    ]);
    // The retried call is the same call: same body and idempotency key.
    expect(server.http.requests[4].body).toBe(server.http.requests[2].body);
    expect(server.http.requests[4].headers['idempotency-key']).toBe('exec-7:notify');
    // The new token is cached in place of the refused one.
    await run(oauth2(), server.http);
    expect(server.http.requests.at(-1)?.headers.authorization).toBe('Bearer tok-2');
    expect(server.issued()).toBe(2);
  });

  it('refreshes only once: a second 401 fails the node with http_status', async () => {
    const server = oauthServer({ target: () => json(401, { error: 'nope' }) });
    const result = await run(oauth2(), server.http);
    expect(server.http.requests.map((request) => request.url)).toEqual([
      TOKEN_URL,
      TARGET,
      TOKEN_URL,
      TARGET,
    ]);
    expect(failure(result)).toMatchObject({ code: 'http_status', status: 401 });
  });

  it.each([
    [401, false],
    [400, false],
    [503, true],
    [429, true],
  ])('fails with oauth_token when the token endpoint answers %i', async (status, retryable) => {
    const http = new FakeHttp((request) =>
      json(status, { error: 'invalid_client', echo: request.body }),
    );
    const result = await run(oauth2(), http, {}, { maxAttempts: 2 });
    expect(result.steps[0].status).toBe(retryable ? 'retrying' : 'failed');
    const error = failure(result);
    expect(error).toMatchObject({ code: 'oauth_token', status });
    expect(error.message).toMatch(new RegExp(`^token endpoint ${TOKEN_URL} answered ${status}: `));
    expect(error.message).toContain('[redacted]');
    expect(recorded(result)).not.toContain(CLIENT_SECRET);
    expect(http.requests).toHaveLength(1);
  });

  it('fails with oauth_token when the answer has no access_token', async () => {
    const http = new FakeHttp(() => json(200, { token_type: 'Bearer' }));
    const result = await run(oauth2(), http);
    expect(failure(result)).toMatchObject({
      code: 'oauth_token',
      message: `token endpoint ${TOKEN_URL} answered without an access_token`,
    });
  });
});

describe('http.request with a credential bound to allowedHosts', () => {
  it('sends it to a listed host', async () => {
    const http = new FakeHttp();
    await run({ ...bearer, data: { ...bearer.data, allowedHosts: ['api.test'] } }, http);
    expect(http.requests[0].headers.authorization).toBe('Bearer tok-bearer-secret');
  });

  it('fails an oauth2 call to another host before even the token is requested', async () => {
    const { http, issued } = oauthServer();
    const result = await run(oauth2({ allowedHosts: ['*.elsewhere.test'] }), http);
    expect(failure(result)).toMatchObject({ code: 'credential_host_not_allowed' });
    expect(issued()).toBe(0);
    expect(http.requests).toHaveLength(0);
  });

  it('quotes an answer with the secret hidden first, then cut to 200 characters', async () => {
    const echo = `${'x'.repeat(190)}tok-bearer-secret`;
    const http = new FakeHttp(() => ({ status: 502, headers: {}, body: echo }));
    const { message } = failure(await run(bearer, http));
    expect(message).toMatch(/answered 502: x{190}\[redacted\]$/);
  });
});

describe('http.request keeps credential secrets out of the run', () => {
  /** Answers with everything it was sent: in the body, and the auth headers as headers. */
  const echo =
    (status: number) =>
    (request: OutboundRequest): OutboundResponse => ({
      status,
      headers: {
        'content-type': 'application/json',
        'x-echo-auth': request.headers.authorization ?? request.headers['x-api-key'] ?? '',
      },
      body: JSON.stringify({ headers: request.headers, [request.headers.authorization ?? '']: 1 }),
    });

  const cases: Array<[string, CredentialValue, string[]]> = [
    ['http-bearer', bearer, ['tok-bearer-secret']],
    ['http-basic', basic, ['pa55-w0rd:x', Buffer.from('ada:pa55-w0rd:x').toString('base64')]],
    ['http-header', apiKey, ['key-secret-123']],
  ];

  it.each(cases)(
    'redacts the %s secret a target echoes into the output',
    async (_t, cred, secrets) => {
      const result = await run(cred, new FakeHttp(echo(200)));
      expect(result.step.status).toBe('succeeded');
      const stored = recorded(result);
      for (const secret of secrets) expect(stored).not.toContain(secret);
      expect(stored).toContain('[redacted]');
    },
  );

  it.each(cases)(
    'redacts the %s secret a failing target quotes in the error',
    async (_t, cred, secrets) => {
      const result = await run(cred, new FakeHttp(echo(500)));
      const error = failure(result);
      expect(error.code).toBe('http_status');
      expect(error.message).toContain('[redacted]');
      const stored = recorded(result);
      for (const secret of secrets) expect(stored).not.toContain(secret);
    },
  );

  it('redacts the oauth2 client secret and access tokens, refreshed ones too', async () => {
    clearTokenCache();
    const secretEcho = (request: OutboundRequest): OutboundResponse => ({
      status: 401,
      headers: { 'content-type': 'text/plain' },
      body: `refused ${request.headers.authorization} for client ${CLIENT_SECRET}`,
    });
    const server = oauthServer({ target: secretEcho });
    const failed = await run(oauth2(), server.http);
    expect(failure(failed).message).toBe(
      'POST https://api.test/orders answered 401: refused Bearer [redacted] for client [redacted]',
    );
    const output = await run(oauth2(), oauthServer({ target: echo(200) }).http);
    const stored = recorded(failed) + recorded(output);
    for (const secret of [CLIENT_SECRET, 'tok-1', 'tok-2']) expect(stored).not.toContain(secret);
  });
});
