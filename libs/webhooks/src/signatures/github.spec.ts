import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { verifyGithub } from './github';

// Published example: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
// ("Testing the webhook payload validation").
const DOC_SECRET = "It's a Secret to Everybody";
const DOC_PAYLOAD = 'Hello, World!';
const DOC_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

function request(body: string, signature?: string): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
    rawBody: Buffer.from(body),
  };
}

const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyGithub', () => {
  const config = { scheme: 'github' as const, secrets: [DOC_SECRET] };

  it("passes GitHub's published example", () => {
    expect(verifyGithub(config, request(DOC_PAYLOAD, DOC_SIGNATURE))).toEqual({ ok: true });
  });

  it('passes with the second of two active secrets (rotation)', () => {
    const rotating = { scheme: 'github' as const, secrets: ['old-secret', DOC_SECRET] };
    expect(verifyGithub(rotating, request(DOC_PAYLOAD, DOC_SIGNATURE))).toEqual({ ok: true });
  });

  it('accepts upper-case hex', () => {
    const upper = `sha256=${DOC_SIGNATURE.slice(7).toUpperCase()}`;
    expect(verifyGithub(config, request(DOC_PAYLOAD, upper)).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyGithub(config, request('Hello, World?', DOC_SIGNATURE))).toEqual({
      ok: false,
      reason: 'signature does not match any active secret',
    });
  });

  it('rejects a wrong secret', () => {
    const wrong = { scheme: 'github' as const, secrets: ['not the secret'] };
    expect(verifyGithub(wrong, request(DOC_PAYLOAD, DOC_SIGNATURE)).ok).toBe(false);
  });

  it('rejects a re-serialised JSON body', () => {
    const sent = '{"action": "opened",  "number": 1}';
    const signature = sign(DOC_SECRET, sent);
    expect(verifyGithub(config, request(sent, signature)).ok).toBe(true);
    const reserialised = JSON.stringify(JSON.parse(sent));
    expect(verifyGithub(config, request(reserialised, signature)).ok).toBe(false);
  });

  it('rejects base64 where hex is expected, saying so', () => {
    const base64 = createHmac('sha256', DOC_SECRET).update(DOC_PAYLOAD).digest('base64');
    expect(verifyGithub(config, request(DOC_PAYLOAD, `sha256=${base64}`))).toEqual({
      ok: false,
      reason: 'header X-Hub-Signature-256 is not a hex HMAC-SHA256 (64 hex digits expected)',
    });
  });

  it('rejects a missing header, naming it', () => {
    expect(verifyGithub(config, request(DOC_PAYLOAD))).toEqual({
      ok: false,
      reason: 'header X-Hub-Signature-256 is missing',
    });
  });

  it('rejects a signature without the sha256= prefix', () => {
    expect(verifyGithub(config, request(DOC_PAYLOAD, DOC_SIGNATURE.slice(7))).ok).toBe(false);
  });

  it('refuses everything when no secret is configured', () => {
    const none = { scheme: 'github' as const, secrets: [] };
    expect(verifyGithub(none, request(DOC_PAYLOAD, DOC_SIGNATURE))).toEqual({
      ok: false,
      reason: 'no active secret is configured for this trigger',
    });
  });

  it('never puts the expected signature in a reason', () => {
    const result = verifyGithub(config, request('other body', DOC_SIGNATURE));
    const expected = sign(DOC_SECRET, 'other body').slice(7);
    expect(result.ok || result.reason.includes(expected)).toBe(false);
  });
});
