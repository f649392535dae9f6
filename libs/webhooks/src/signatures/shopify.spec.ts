import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { verifyShopify } from './shopify';

// Computed per Shopify's HTTPS webhook docs, "validate the origin of your webhook"
// (https://shopify.dev/docs/apps/build/webhooks/subscribe/https):
// base64 HMAC-SHA256 of the raw body with the app's client secret, in X-Shopify-Hmac-Sha256.
// Shopify publishes no fixed vector; node:crypto computes one apart from the code under test.
const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const BODY = '{"id":12345678901234567890,"email":"ann@example.com","total_price":"19.99"}';
const digest = (body: string, secret = SECRET, encoding: 'base64' | 'hex' = 'base64') =>
  createHmac('sha256', secret).update(body).digest(encoding);

function request(body: string, signature?: string): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers: signature === undefined ? {} : { 'x-shopify-hmac-sha256': signature },
    rawBody: Buffer.from(body),
  };
}

const config = { scheme: 'shopify' as const, secrets: [SECRET] };

describe('verifyShopify', () => {
  it('passes a body signed as Shopify documents', () => {
    expect(verifyShopify(config, request(BODY, digest(BODY)))).toEqual({ ok: true });
  });

  it('passes with the second of two active secrets (rotation)', () => {
    expect(
      verifyShopify({ ...config, secrets: ['shpss_old', SECRET] }, request(BODY, digest(BODY))).ok,
    ).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyShopify(config, request(BODY.replace('19.99', '0.01'), digest(BODY)))).toEqual({
      ok: false,
      reason: 'signature does not match any active secret',
    });
  });

  it('rejects a wrong secret', () => {
    expect(verifyShopify(config, request(BODY, digest(BODY, 'shpss_wrong'))).ok).toBe(false);
  });

  it('rejects a re-serialised JSON body (the big id would not even survive JSON.parse)', () => {
    const reserialised = JSON.stringify(JSON.parse(BODY));
    expect(reserialised).not.toBe(BODY);
    expect(verifyShopify(config, request(reserialised, digest(BODY))).ok).toBe(false);
  });

  it('rejects hex where base64 is expected, saying so', () => {
    expect(verifyShopify(config, request(BODY, digest(BODY, SECRET, 'hex')))).toEqual({
      ok: false,
      reason: 'header X-Shopify-Hmac-Sha256 is not a base64 HMAC-SHA256, it looks hex-encoded',
    });
  });

  it('rejects a missing header, naming it', () => {
    expect(verifyShopify(config, request(BODY))).toEqual({
      ok: false,
      reason: 'header X-Shopify-Hmac-Sha256 is missing',
    });
  });
});
