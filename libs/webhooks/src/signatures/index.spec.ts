import { createHmac } from 'node:crypto';
import {
  signatureConfigProblems,
  verifySignature,
  type SignatureConfig,
  type SignedRequest,
} from './index';

const body = Buffer.from('Hello, World!');

function request(headers: Record<string, string>): SignedRequest {
  return { method: 'POST', url: 'https://hooks.example.com/hooks/h1', headers, rawBody: body };
}

describe('verifySignature', () => {
  it('dispatches on the scheme', () => {
    const github: SignatureConfig = { scheme: 'github', secrets: ["It's a Secret to Everybody"] };
    const headers = {
      'x-hub-signature-256':
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    };
    expect(verifySignature(github, request(headers))).toEqual({ ok: true });
    const shopify: SignatureConfig = { scheme: 'shopify', secrets: ["It's a Secret to Everybody"] };
    expect(verifySignature(shopify, request(headers))).toEqual({
      ok: false,
      reason: 'header X-Shopify-Hmac-Sha256 is missing',
    });
  });

  it('uses the injected clock for timestamped schemes', () => {
    const t = 1_600_000_000;
    const signature = createHmac('sha256', 'k').update(`v0:${t}:`).update(body).digest('hex');
    const slack: SignatureConfig = { scheme: 'slack', secrets: ['k'] };
    const headers = {
      'x-slack-signature': `v0=${signature}`,
      'x-slack-request-timestamp': String(t),
    };
    expect(verifySignature(slack, request(headers), new Date(t * 1000))).toEqual({ ok: true });
    expect(verifySignature(slack, request(headers), new Date((t + 301) * 1000)).ok).toBe(false);
  });
});

describe('signatureConfigProblems', () => {
  it('finds nothing wrong with a sound config', () => {
    expect(
      signatureConfigProblems({ scheme: 'stripe', secrets: ['whsec_x'], toleranceSeconds: 600 }),
    ).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(
      signatureConfigProblems({
        scheme: 'hmac',
        secrets: ['', 'ok'],
        header: 'X Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        signedContent: {
          kind: 'timestamp-body',
          timestampHeader: 'X-Time:',
          separator: '.',
          toleranceSeconds: 0,
        },
      }),
    ).toEqual([
      'secret #1 is empty',
      'the timestamp tolerance must be a whole number of seconds above 0',
      '"X Signature" is not a valid header name',
      '"X-Time:" is not a valid header name',
    ]);
  });

  it('checks scheme-specific secrets and URLs', () => {
    expect(
      signatureConfigProblems({ scheme: 'standard-webhooks', secrets: ['whsec_%%%'] }),
    ).toEqual(['secret #1 is not a whsec_ base64 secret']);
    expect(
      signatureConfigProblems({ scheme: 'basic-auth', secrets: ['user-without-password'] }),
    ).toEqual(['credentials #1 must be written username:password']);
    expect(signatureConfigProblems({ scheme: 'twilio', secrets: ['t'], url: 'not a url' })).toEqual(
      ['the Twilio URL is not a valid URL'],
    );
    expect(signatureConfigProblems({ scheme: 'github', secrets: [] })).toEqual([
      'add at least one secret',
    ]);
  });
});
