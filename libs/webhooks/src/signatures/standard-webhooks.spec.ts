import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { standardWebhooksKey, verifyStandardWebhooks } from './standard-webhooks';

// The test vector of the Standard Webhooks reference libraries, "sign function works" in
// https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/webhook.test.ts
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = '1614265330';
const PAYLOAD = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const NOW = new Date((Number(TIMESTAMP) + 10) * 1000);

function request(body: string, headers: Record<string, string>): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers,
    rawBody: Buffer.from(body),
  };
}

const headers = (signature = SIGNATURE, timestamp = TIMESTAMP) => ({
  'webhook-id': MSG_ID,
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
});
const config = { scheme: 'standard-webhooks' as const, secrets: [SECRET] };

describe('verifyStandardWebhooks', () => {
  it('passes the reference test vector', () => {
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers()), NOW)).toEqual({ ok: true });
  });

  it('accepts the secret without its whsec_ prefix, as the libraries do', () => {
    const bare = { ...config, secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] };
    expect(verifyStandardWebhooks(bare, request(PAYLOAD, headers()), NOW).ok).toBe(true);
  });

  it('reads the same headers under the Svix brand (svix-id, svix-timestamp, svix-signature)', () => {
    const svix = { 'svix-id': MSG_ID, 'svix-timestamp': TIMESTAMP, 'svix-signature': SIGNATURE };
    expect(verifyStandardWebhooks(config, request(PAYLOAD, svix), NOW)).toEqual({ ok: true });
  });

  it('passes when one of several space-separated signatures matches', () => {
    const many = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,abc ${SIGNATURE} v2,xyz`;
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers(many)), NOW).ok).toBe(true);
  });

  it('passes with the second of two active secrets (rotation)', () => {
    const rotating = {
      ...config,
      secrets: ['whsec_' + Buffer.from('old key').toString('base64'), SECRET],
    };
    expect(verifyStandardWebhooks(rotating, request(PAYLOAD, headers()), NOW).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyStandardWebhooks(config, request('{"test": 2432232315}', headers()), NOW)).toEqual(
      {
        ok: false,
        reason: 'signature does not match any active secret',
      },
    );
  });

  it('rejects a wrong secret', () => {
    const wrong = { ...config, secrets: ['whsec_' + Buffer.from('wrong').toString('base64')] };
    expect(verifyStandardWebhooks(wrong, request(PAYLOAD, headers()), NOW).ok).toBe(false);
  });

  it('rejects a stale timestamp (and one from the future), saying by how much', () => {
    const later = new Date((Number(TIMESTAMP) + 412) * 1000);
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers()), later)).toEqual({
      ok: false,
      reason: 'timestamp is 412 s old, tolerance 300 s',
    });
    const earlier = new Date((Number(TIMESTAMP) - 400) * 1000);
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers()), earlier).ok).toBe(false);
  });

  it('rejects a re-serialised JSON body', () => {
    expect(verifyStandardWebhooks(config, request('{"test":2432232314}', headers()), NOW).ok).toBe(
      false,
    );
  });

  it('rejects hex where base64 is expected', () => {
    const key = standardWebhooksKey(SECRET) ?? Buffer.alloc(0);
    const hex = createHmac('sha256', key).update(`${MSG_ID}.${TIMESTAMP}.${PAYLOAD}`).digest('hex');
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers(`v1,${hex}`)), NOW)).toEqual({
      ok: false,
      reason:
        'a v1 signature in header webhook-signature is not a base64 HMAC-SHA256, it looks hex-encoded',
    });
    expect(verifyStandardWebhooks(config, request(PAYLOAD, headers('v2,abc')), NOW)).toEqual({
      ok: false,
      reason: 'header webhook-signature has no v1 signature',
    });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'rejects a missing %s header',
    (name) => {
      const partial: Record<string, string> = headers();
      delete partial[name];
      expect(verifyStandardWebhooks(config, request(PAYLOAD, partial), NOW)).toEqual({
        ok: false,
        reason: `header ${name} is missing`,
      });
    },
  );

  it('refuses a configured secret that is not base64, without revealing it', () => {
    const broken = { ...config, secrets: ['whsec_not base64!'] };
    expect(verifyStandardWebhooks(broken, request(PAYLOAD, headers()), NOW)).toEqual({
      ok: false,
      reason: 'active secret #1 is not a whsec_ base64 secret',
    });
  });
});
