import { OutboundError, type OutboundResponse } from '@hookflow/engine';
import { FakeHttp, NOW, recorded, runAction, sentJson } from './testing/run-action';

const TOKEN = 'xoxb-1111-2222-secret-token';
const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/SeCrEtPaTh';
const bot = { type: 'slack-bot', data: { token: TOKEN, apiBaseUrl: 'http://127.0.0.1:9/api/' } };
const webhook = { type: 'slack-webhook', data: { url: WEBHOOK } };

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (): OutboundResponse => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const posted = json(200, { ok: true, channel: 'C0SALES', ts: '1714564800.000100' });

describe('slack.message with a slack-bot credential', () => {
  it('posts the rendered text to chat.postMessage with the bearer token and idempotency key', async () => {
    const http = new FakeHttp(posted);
    const run = await runAction({
      type: 'slack.message',
      params: {
        channel: '#sales',
        text: 'Payment of {{cents}} from {{customer}}',
      },
      credential: bot,
      http,
    });
    expect(http.requests).toHaveLength(1);
    const [request] = http.requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:9/api/chat.postMessage',
    });
    expect(request.headers).toEqual({
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': 'exec-7:notify',
    });
    expect(sentJson(request)).toEqual({ channel: '#sales', text: 'Payment of 25000 from cus_42' });
    expect(run.step).toMatchObject({
      status: 'succeeded',
      output: { ok: true, channel: 'C0SALES', ts: '1714564800.000100' },
    });
    expect(recorded(run)).not.toContain(TOKEN);
  });

  it('calls https://slack.com/api unless the credential names another base URL', async () => {
    const http = new FakeHttp(posted);
    await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: 'hi' },
      credential: { type: 'slack-bot', data: { token: TOKEN } },
      http,
    });
    expect(http.requests[0].url).toBe('https://slack.com/api/chat.postMessage');
  });

  it('sends Block Kit blocks from JSONata, wrapping a lone block in an array', async () => {
    const http = new FakeHttp(posted);
    await runAction({
      type: 'slack.message',
      params: {
        channel: 'C1',
        text: 'fallback',
        blocks: "{ 'type': 'section', 'text': { 'type': 'mrkdwn', 'text': '*' & customer & '*' } }",
      },
      credential: bot,
      http,
    });
    expect(sentJson(http.requests[0])).toEqual({
      channel: 'C1',
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*cus_42*' } }],
    });
  });

  it('fails with invalid_blocks when blocks do not give objects', async () => {
    const http = new FakeHttp(posted);
    const run = await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: 'x', blocks: '[1, 2]' },
      credential: bot,
      http,
    });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'invalid_blocks' } });
    expect(http.requests).toHaveLength(0);
  });

  it('needs a channel', async () => {
    const run = await runAction({ type: 'slack.message', params: { text: 'x' }, credential: bot });
    expect(run.step).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_params', message: 'channel is required with a slack-bot credential' },
    });
  });

  it('fails with slack_error naming what Slack answered (ok: false), without retrying', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { channel: '#nowhere', text: 'x' },
      credential: bot,
      http: new FakeHttp(json(200, { ok: false, error: 'channel_not_found' })),
      retry: { maxAttempts: 3 },
    });
    expect(run.steps).toHaveLength(1);
    expect(run.step).toMatchObject({
      status: 'failed',
      error: { code: 'slack_error', message: 'Slack answered channel_not_found', nodeId: 'notify' },
    });
  });

  it('retries a 429 after the Retry-After Slack asks for', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: 'x' },
      credential: bot,
      http: new FakeHttp(json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' })),
      retry: { maxAttempts: 3 },
    });
    expect(run.step).toMatchObject({
      status: 'retrying',
      error: {
        code: 'slack_error',
        message: 'Slack answered ratelimited (HTTP 429)',
        status: 429,
        retryAt: new Date(NOW.getTime() + 30_000).toISOString(),
      },
    });
  });

  it('fails with slack_error when the answer is not JSON', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: 'x' },
      credential: bot,
      http: new FakeHttp(() => ({ status: 200, headers: {}, body: '<html>' })),
    });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'slack_error' } });
  });

  it('keeps the token out of errors even when the answer quotes it', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: 'x' },
      credential: bot,
      http: new FakeHttp(json(400, { ok: false, error: `bad token ${TOKEN}` })),
    });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'slack_error' } });
    expect(recorded(run)).not.toContain(TOKEN);
    expect(recorded(run)).toContain('[redacted]');
  });
});

describe('slack.message with a slack-webhook credential', () => {
  it('posts { text, blocks } to the webhook URL, without a token or channel', async () => {
    const http = new FakeHttp(() => ({ status: 200, headers: {}, body: 'ok' }));
    const run = await runAction({
      type: 'slack.message',
      params: { text: 'Payment from {{customer}}', blocks: "[{ 'type': 'divider' }]" },
      credential: webhook,
      http,
    });
    expect(http.requests[0]).toMatchObject({ method: 'POST', url: WEBHOOK });
    expect(http.requests[0].headers).toEqual({
      'content-type': 'application/json',
      'idempotency-key': 'exec-7:notify',
    });
    expect(sentJson(http.requests[0])).toEqual({
      text: 'Payment from cus_42',
      blocks: [{ type: 'divider' }],
    });
    expect(run.step).toMatchObject({ status: 'succeeded', output: { ok: true } });
    expect(recorded(run)).not.toContain('SeCrEtPaTh');
  });

  it('escapes & < > in values so a payload cannot mention or link; {{{ }}} opts out', async () => {
    const http = new FakeHttp(() => ({ status: 200, headers: {}, body: 'ok' }));
    await runAction({
      type: 'slack.message',
      params: { text: '<!here> <https://shop.test/o?id=1&v=2|Order> from {{name}} {{{mention}}}' },
      credential: webhook,
      http,
      body: { name: '<b>Ada</b> & <!channel> <https://evil.test|x>', mention: '<@U042>' },
    });
    expect(sentJson(http.requests[0])).toEqual({
      text:
        '<!here> <https://shop.test/o?id=1&v=2|Order> from ' +
        '&lt;b&gt;Ada&lt;/b&gt; &amp; &lt;!channel&gt; &lt;https://evil.test|x&gt; <@U042>',
    });
  });

  it('fails a 404 with the reason Slack gives, not retryable', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { text: 'x' },
      credential: webhook,
      http: new FakeHttp(() => ({ status: 404, headers: {}, body: 'no_service' })),
      retry: { maxAttempts: 3 },
    });
    expect(run.steps).toHaveLength(1);
    expect(run.step).toMatchObject({
      status: 'failed',
      error: { code: 'slack_error', message: 'Slack answered no_service (HTTP 404)', status: 404 },
    });
  });

  it('retries a 5xx', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { text: 'x' },
      credential: webhook,
      http: new FakeHttp(() => ({ status: 503, headers: {}, body: 'down' })),
      retry: { maxAttempts: 2 },
    });
    expect(run.step).toMatchObject({ status: 'retrying', error: { status: 503 } });
  });

  it('keeps the webhook URL out of a network error that quotes it', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { text: 'x' },
      credential: webhook,
      http: new FakeHttp(() => {
        throw new OutboundError('network', `${WEBHOOK}: ECONNRESET`);
      }),
    });
    expect(run.step).toMatchObject({
      status: 'failed',
      error: { code: 'network', message: '[redacted]: ECONNRESET' },
    });
  });
});

describe('slack.message', () => {
  it('refuses a credential of another type', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { text: 'x' },
      credential: { type: 'smtp', data: { host: 'mail.test' } },
    });
    expect(run.step).toMatchObject({
      status: 'failed',
      error: {
        code: 'credential_type',
        message: 'slack.message needs a slack-webhook or slack-bot credential, not smtp',
      },
    });
  });

  it('fails with credential_missing when the named credential does not exist', async () => {
    const run = await runAction({ type: 'slack.message', params: { text: 'x' } });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'credential_missing' } });
  });

  it('refuses an empty message', async () => {
    const run = await runAction({
      type: 'slack.message',
      params: { channel: 'C1', text: '{{missing}}' },
      credential: bot,
    });
    expect(run.step).toMatchObject({ status: 'failed', error: { code: 'invalid_params' } });
  });
});
