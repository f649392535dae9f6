import { createHmac } from 'node:crypto';
import { verifyGenericHmac, type GenericHmacSignatureConfig } from './generic-hmac';
import type { SignedRequest } from './signed-request';

const SECRET = 'generic-secret';
const BODY = '{"event": "lead.created", "id": 42}';
const T = 1_700_000_000;
const NOW = new Date((T + 5) * 1000);

function request(body: string, headers: Record<string, string>): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers,
    rawBody: Buffer.from(body),
  };
}

const bodyConfig: GenericHmacSignatureConfig = {
  scheme: 'hmac',
  secrets: [SECRET],
  header: 'X-Signature',
  prefix: 'sha512=',
  algorithm: 'sha512',
  encoding: 'base64',
  signedContent: { kind: 'body' },
};

const timestampConfig: GenericHmacSignatureConfig = {
  scheme: 'hmac',
  secrets: [SECRET],
  header: 'X-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  signedContent: { kind: 'timestamp-body', timestampHeader: 'X-Timestamp', separator: ':' },
};

const mac = (algorithm: string, data: string, encoding: 'hex' | 'base64', secret = SECRET) =>
  createHmac(algorithm, secret).update(data).digest(encoding);

describe('verifyGenericHmac', () => {
  it('verifies a prefixed base64 HMAC-SHA512 of the body', () => {
    const headers = { 'x-signature': `sha512=${mac('sha512', BODY, 'base64')}` };
    expect(verifyGenericHmac(bodyConfig, request(BODY, headers), NOW)).toEqual({ ok: true });
  });

  it('verifies a hex HMAC-SHA1 of the body without a prefix', () => {
    const sha1: GenericHmacSignatureConfig = {
      ...bodyConfig,
      prefix: undefined,
      algorithm: 'sha1',
      encoding: 'hex',
    };
    const headers = { 'x-signature': mac('sha1', BODY, 'hex') };
    expect(verifyGenericHmac(sha1, request(BODY, headers), NOW).ok).toBe(true);
  });

  it('verifies timestamp + separator + body, and refuses it when stale', () => {
    const headers = {
      'x-timestamp': String(T),
      'x-signature': mac('sha256', `${T}:${BODY}`, 'hex'),
    };
    expect(verifyGenericHmac(timestampConfig, request(BODY, headers), NOW)).toEqual({ ok: true });
    const later = new Date((T + 412) * 1000);
    expect(verifyGenericHmac(timestampConfig, request(BODY, headers), later)).toEqual({
      ok: false,
      reason: 'timestamp is 412 s old, tolerance 300 s',
    });
  });

  it('refuses a signature made with another separator', () => {
    const headers = {
      'x-timestamp': String(T),
      'x-signature': mac('sha256', `${T}.${BODY}`, 'hex'),
    };
    expect(verifyGenericHmac(timestampConfig, request(BODY, headers), NOW).ok).toBe(false);
  });

  it('passes with the second of two active secrets (rotation)', () => {
    const headers = { 'x-signature': `sha512=${mac('sha512', BODY, 'base64')}` };
    expect(
      verifyGenericHmac({ ...bodyConfig, secrets: ['old', SECRET] }, request(BODY, headers), NOW)
        .ok,
    ).toBe(true);
  });

  it('rejects a tampered body, a wrong secret and a re-serialised JSON body', () => {
    const headers = { 'x-signature': `sha512=${mac('sha512', BODY, 'base64')}` };
    const noMatch = { ok: false, reason: 'signature does not match any active secret' };
    expect(verifyGenericHmac(bodyConfig, request(BODY.replace('42', '43'), headers), NOW)).toEqual(
      noMatch,
    );
    expect(
      verifyGenericHmac({ ...bodyConfig, secrets: ['wrong'] }, request(BODY, headers), NOW),
    ).toEqual(noMatch);
    expect(
      verifyGenericHmac(bodyConfig, request(JSON.stringify(JSON.parse(BODY)), headers), NOW),
    ).toEqual(noMatch);
  });

  it('rejects hex where base64 is configured', () => {
    const headers = { 'x-signature': `sha512=${mac('sha512', BODY, 'hex')}` };
    expect(verifyGenericHmac(bodyConfig, request(BODY, headers), NOW)).toEqual({
      ok: false,
      reason: 'header X-Signature is not a base64 HMAC-SHA512, it looks hex-encoded',
    });
  });

  it('rejects a missing signature or timestamp header, and a missing prefix', () => {
    expect(verifyGenericHmac(bodyConfig, request(BODY, {}), NOW)).toEqual({
      ok: false,
      reason: 'header X-Signature is missing',
    });
    const unsigned = { 'x-signature': mac('sha256', `${T}:${BODY}`, 'hex') };
    expect(verifyGenericHmac(timestampConfig, request(BODY, unsigned), NOW)).toEqual({
      ok: false,
      reason: 'header X-Timestamp is missing',
    });
    const bare = { 'x-signature': mac('sha512', BODY, 'base64') };
    expect(verifyGenericHmac(bodyConfig, request(BODY, bare), NOW)).toEqual({
      ok: false,
      reason: 'header X-Signature does not start with sha512=',
    });
  });
});
