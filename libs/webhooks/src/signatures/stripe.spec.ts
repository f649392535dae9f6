import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { verifyStripe } from './stripe';

// Computed per Stripe's "Verify signatures manually"
// (https://docs.stripe.com/webhooks#verify-manually): signed_payload = `${t}.${raw body}`,
// HMAC-SHA256 with the endpoint secret, hex, in the v1 element of Stripe-Signature.
// The HMAC here is node:crypto's, computed apart from the code under test.
const SECRET = 'whsec_test_5Ofm2wbDd0nE7rzQ1y0b0Z2c';
const T = 1492774577;
const NOW = new Date((T + 30) * 1000);
const BODY = '{\n  "id": "evt_1",\n  "object": "event",\n  "type": "payment_intent.succeeded"\n}';

const v1 = (body: string, t = T, secret = SECRET) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

function request(body: string, header?: string): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers: header === undefined ? {} : { 'stripe-signature': header },
    rawBody: Buffer.from(body),
  };
}

const config = { scheme: 'stripe' as const, secrets: [SECRET] };

describe('verifyStripe', () => {
  it('passes a header signed as Stripe documents, test-mode v0 element included', () => {
    const header = `t=${T},v1=${v1(BODY)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
    expect(verifyStripe(config, request(BODY, header), NOW)).toEqual({ ok: true });
  });

  it('passes when any of several v1 signatures matches (Stripe rolling its secret)', () => {
    const header = `t=${T},v1=${v1(BODY, T, 'whsec_other')},v1=${v1(BODY)}`;
    expect(verifyStripe(config, request(BODY, header), NOW).ok).toBe(true);
  });

  it('passes with the second of two active secrets (rotation)', () => {
    const rotating = { ...config, secrets: ['whsec_old', SECRET] };
    expect(verifyStripe(rotating, request(BODY, `t=${T},v1=${v1(BODY)}`), NOW).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    const header = `t=${T},v1=${v1(BODY)}`;
    expect(verifyStripe(config, request(BODY.replace('evt_1', 'evt_2'), header), NOW)).toEqual({
      ok: false,
      reason: 'signature does not match any active secret',
    });
  });

  it('rejects a wrong secret', () => {
    const header = `t=${T},v1=${v1(BODY, T, 'whsec_wrong')}`;
    expect(verifyStripe(config, request(BODY, header), NOW).ok).toBe(false);
  });

  it('rejects a timestamp swapped after signing', () => {
    const header = `t=${T + 1},v1=${v1(BODY)}`;
    expect(verifyStripe(config, request(BODY, header), NOW).ok).toBe(false);
  });

  it('rejects a stale timestamp, saying how stale', () => {
    const header = `t=${T},v1=${v1(BODY)}`;
    const later = new Date((T + 412) * 1000);
    expect(verifyStripe(config, request(BODY, header), later)).toEqual({
      ok: false,
      reason: 'timestamp is 412 s old, tolerance 300 s',
    });
    expect(
      verifyStripe({ ...config, toleranceSeconds: 600 }, request(BODY, header), later).ok,
    ).toBe(true);
  });

  it('rejects a re-serialised JSON body', () => {
    const header = `t=${T},v1=${v1(BODY)}`;
    expect(verifyStripe(config, request(JSON.stringify(JSON.parse(BODY)), header), NOW).ok).toBe(
      false,
    );
  });

  it('never accepts a v0 signature alone (downgrade)', () => {
    expect(verifyStripe(config, request(BODY, `t=${T},v0=${v1(BODY)}`), NOW)).toEqual({
      ok: false,
      reason: 'header Stripe-Signature has no v1 signature',
    });
  });

  it('rejects base64 where hex is expected', () => {
    const base64 = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('base64');
    expect(verifyStripe(config, request(BODY, `t=${T},v1=${base64}`), NOW)).toEqual({
      ok: false,
      reason:
        'a v1 signature in header Stripe-Signature is not a hex HMAC-SHA256 (64 hex digits expected)',
    });
  });

  it('rejects a missing header or a header without a timestamp', () => {
    expect(verifyStripe(config, request(BODY), NOW)).toEqual({
      ok: false,
      reason: 'header Stripe-Signature is missing',
    });
    expect(verifyStripe(config, request(BODY, `v1=${v1(BODY)}`), NOW)).toEqual({
      ok: false,
      reason: 'header Stripe-Signature has no timestamp (t=)',
    });
  });
});
