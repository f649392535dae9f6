import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { verifySlack } from './slack';

// Published example: https://api.slack.com/authentication/verifying-requests-from-slack
// (also at docs.slack.dev/authentication/verifying-requests-from-slack), a slash command body.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
  '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
  '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

/** One minute after the example was signed. */
const NOW = new Date((Number(DOC_TIMESTAMP) + 60) * 1000);
const config = { scheme: 'slack' as const, secrets: [DOC_SECRET] };

function request(body: string, headers: Record<string, string>): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers,
    rawBody: Buffer.from(body),
  };
}

const signed = (body: string, timestamp = DOC_TIMESTAMP, secret = DOC_SECRET) => ({
  'x-slack-request-timestamp': timestamp,
  'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
});

const docHeaders = {
  'x-slack-signature': DOC_SIGNATURE,
  'x-slack-request-timestamp': DOC_TIMESTAMP,
};

describe('verifySlack', () => {
  it("passes Slack's published example", () => {
    expect(verifySlack(config, request(DOC_BODY, docHeaders), NOW)).toEqual({ ok: true });
  });

  it('passes with the second of two active secrets (rotation)', () => {
    const rotating = { ...config, secrets: ['previous-secret', DOC_SECRET] };
    expect(verifySlack(rotating, request(DOC_BODY, docHeaders), NOW).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    const tampered = DOC_BODY.replace('roadrunner', 'coyote');
    expect(verifySlack(config, request(tampered, docHeaders), NOW)).toEqual({
      ok: false,
      reason: 'signature does not match any active secret',
    });
  });

  it('rejects a wrong secret', () => {
    const wrong = { ...config, secrets: ['8f742231b10e8888abcd99yyyzzz85a6'] };
    expect(verifySlack(wrong, request(DOC_BODY, docHeaders), NOW).ok).toBe(false);
  });

  it('rejects a stale timestamp, saying how stale', () => {
    const later = new Date((Number(DOC_TIMESTAMP) + 412) * 1000);
    expect(verifySlack(config, request(DOC_BODY, docHeaders), later)).toEqual({
      ok: false,
      reason: 'timestamp is 412 s old, tolerance 300 s',
    });
  });

  it('honours a configured tolerance, and refuses timestamps from the future', () => {
    const later = new Date((Number(DOC_TIMESTAMP) + 412) * 1000);
    expect(
      verifySlack({ ...config, toleranceSeconds: 600 }, request(DOC_BODY, docHeaders), later).ok,
    ).toBe(true);
    const earlier = new Date((Number(DOC_TIMESTAMP) - 301) * 1000);
    expect(verifySlack(config, request(DOC_BODY, docHeaders), earlier)).toEqual({
      ok: false,
      reason: 'timestamp is 301 s in the future, tolerance 300 s',
    });
  });

  it('rejects a re-serialised JSON body', () => {
    const sent = '{"type": "event_callback", "event": {"type": "app_mention"}}';
    const headers = signed(sent);
    expect(verifySlack(config, request(sent, headers), NOW).ok).toBe(true);
    expect(verifySlack(config, request(JSON.stringify(JSON.parse(sent)), headers), NOW).ok).toBe(
      false,
    );
  });

  it('rejects base64 where hex is expected', () => {
    const base64 = createHmac('sha256', DOC_SECRET)
      .update(`v0:${DOC_TIMESTAMP}:${DOC_BODY}`)
      .digest('base64');
    const headers = { ...docHeaders, 'x-slack-signature': `v0=${base64}` };
    expect(verifySlack(config, request(DOC_BODY, headers), NOW)).toEqual({
      ok: false,
      reason: 'header X-Slack-Signature is not a hex HMAC-SHA256 (64 hex digits expected)',
    });
  });

  it.each([
    ['x-slack-signature', 'header X-Slack-Signature is missing'],
    ['x-slack-request-timestamp', 'header X-Slack-Request-Timestamp is missing'],
  ])('rejects a missing %s header, naming it', (name, reason) => {
    const headers: Record<string, string> = { ...docHeaders };
    delete headers[name];
    expect(verifySlack(config, request(DOC_BODY, headers), NOW)).toEqual({ ok: false, reason });
  });

  it('rejects a timestamp that is not Unix seconds', () => {
    const headers = signed(DOC_BODY, '2018-07-12T18:36:58Z');
    expect(verifySlack(config, request(DOC_BODY, headers), NOW)).toEqual({
      ok: false,
      reason: 'header X-Slack-Request-Timestamp is not a Unix time in seconds',
    });
  });
});
