import { createHmac } from 'node:crypto';
import type { SignedRequest } from './signed-request';
import { verifyTwilio } from './twilio';

// Vectors from twilio-node's own tests, spec/validation.spec.js
// (https://github.com/twilio/twilio-node/blob/main/spec/validation.spec.js), auth token "12345".
const TOKEN = '12345';
const URL_CONFIGURED = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const LIBRARY_SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
const FORM_BODY = new URLSearchParams(PARAMS).toString();

function request(options: {
  signature?: string;
  body?: string;
  contentType?: string;
  url?: string;
  form?: Record<string, string | string[]>;
}): SignedRequest {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
  };
  if (options.signature !== undefined) headers['x-twilio-signature'] = options.signature;
  return {
    method: 'POST',
    url: options.url ?? URL_CONFIGURED,
    headers,
    rawBody: Buffer.from(options.body ?? FORM_BODY),
    form: options.form,
  };
}

const config = { scheme: 'twilio' as const, secrets: [TOKEN] };

describe('verifyTwilio', () => {
  it("passes twilio-node's test vector, reading the fields from the raw form body", () => {
    expect(verifyTwilio(config, request({ signature: LIBRARY_SIGNATURE }))).toEqual({ ok: true });
  });

  it('passes the same vector with the fields handed in, in any order', () => {
    const form = {
      To: PARAMS.To,
      Digits: PARAMS.Digits,
      CallSid: PARAMS.CallSid,
      Caller: PARAMS.Caller,
      From: PARAMS.From,
    };
    expect(verifyTwilio(config, request({ signature: LIBRARY_SIGNATURE, body: '', form })).ok).toBe(
      true,
    );
  });

  it("passes the example of Twilio's security docs (https://www.twilio.com/docs/usage/security)", () => {
    const body = FORM_BODY.replaceAll('%2B14158675309', '%2B12349013030');
    expect(
      verifyTwilio(config, request({ signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', body })).ok,
    ).toBe(true);
  });

  it('uses the configured URL over the request URL (a proxy rewrote scheme and host)', () => {
    const proxied = request({
      signature: LIBRARY_SIGNATURE,
      url: 'http://internal:8080/myapp.php?foo=1&bar=2',
    });
    expect(verifyTwilio(config, proxied).ok).toBe(false);
    expect(verifyTwilio({ ...config, url: URL_CONFIGURED }, proxied).ok).toBe(true);
  });

  it.each([
    ['https with the default port added', URL_CONFIGURED, 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    [
      'a non-default port stripped',
      'https://mycompany.com:1234/myapp.php?foo=1&bar=2',
      LIBRARY_SIGNATURE,
    ],
    [
      'http with a port',
      'http://mycompany.com:1234/myapp.php?foo=1&bar=2',
      'Zmvh+3yNM1Phv2jhDCwEM3q5ebU=',
    ],
    [
      'http with port 80 added',
      'http://mycompany.com/myapp.php?foo=1&bar=2',
      '0ZXoZLH/DfblKGATFgpif+LLRf4=',
    ],
    [
      'credentials in the URL',
      'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2',
      'CukzLTc1tT5dXEDIHm/tKBanW10=',
    ],
    [
      'credentials and port 443',
      'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2',
      'ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=',
    ],
    ['an unencoded quote', `${URL_CONFIGURED}&Body=It's+amazing`, 'dsq4Ehbj6cs+KdTkpF5sSSplOWw='],
  ])('passes the library vector for %s', (_case, url, signature) => {
    expect(verifyTwilio({ ...config, url }, request({ signature })).ok).toBe(true);
  });

  it('signs repeated fields sorted and de-duplicated (library vectors)', () => {
    const arrayForm = { 'MessagingBinding.Address': ['+1415xxxxxxx', '+1325xxxxxxx'] };
    expect(
      verifyTwilio(
        config,
        request({ signature: '83O6e2vORAoJHUNzJjDWN1jz+BA=', body: '', form: arrayForm }),
      ).ok,
    ).toBe(true);
    const body = 'Sid=CA123&Digits=5678&SidAccount=AC123&Digits=1234&Digits=1234';
    expect(
      verifyTwilio(config, request({ signature: 'IK+Dwps556ElfBT0I3Rgjkr1wJU=', body })).ok,
    ).toBe(true);
  });

  it('verifies a JSON body through the bodySHA256 parameter of the signed URL (library vector)', () => {
    const body = '{"property": "value", "boolean": true}';
    const url = `${URL_CONFIGURED}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    const json = {
      signature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
      body,
      url,
      contentType: 'application/json',
    };
    expect(verifyTwilio(config, request(json))).toEqual({ ok: true });
    expect(
      verifyTwilio(config, request({ ...json, body: body.replace('value', 'other') })),
    ).toEqual({
      ok: false,
      reason: 'body does not match the bodySHA256 in the signed URL',
    });
  });

  it('passes with the second of two active tokens (rotation)', () => {
    expect(
      verifyTwilio(
        { ...config, secrets: ['secondary', TOKEN] },
        request({ signature: LIBRARY_SIGNATURE }),
      ).ok,
    ).toBe(true);
  });

  it('rejects a tampered field', () => {
    const body = FORM_BODY.replace('Digits=1234', 'Digits=9999');
    expect(verifyTwilio(config, request({ signature: LIBRARY_SIGNATURE, body }))).toEqual({
      ok: false,
      reason: 'signature does not match any active secret',
    });
  });

  it('rejects a wrong token and a changed query string', () => {
    expect(
      verifyTwilio({ ...config, secrets: ['54321'] }, request({ signature: LIBRARY_SIGNATURE })).ok,
    ).toBe(false);
    const url = `${URL_CONFIGURED}&somethingUnexpected=true`;
    expect(verifyTwilio(config, request({ signature: LIBRARY_SIGNATURE, url })).ok).toBe(false);
  });

  it('rejects a re-serialised body (fields sent as JSON instead of the signed form)', () => {
    const json = {
      signature: LIBRARY_SIGNATURE,
      body: JSON.stringify(PARAMS),
      contentType: 'application/json',
    };
    expect(verifyTwilio(config, request(json)).ok).toBe(false);
  });

  it('rejects hex where base64 is expected', () => {
    const text = Object.keys(PARAMS)
      .sort()
      .reduce((signed, key) => signed + key + PARAMS[key as keyof typeof PARAMS], URL_CONFIGURED);
    const hex = createHmac('sha1', TOKEN).update(text).digest('hex');
    expect(verifyTwilio(config, request({ signature: hex }))).toEqual({
      ok: false,
      reason: 'header X-Twilio-Signature is not a base64 HMAC-SHA1, it looks hex-encoded',
    });
  });

  it('rejects a missing header, naming it', () => {
    expect(verifyTwilio(config, request({}))).toEqual({
      ok: false,
      reason: 'header X-Twilio-Signature is missing',
    });
  });
});
