import { verifyBasicAuth, type BasicAuthConfig } from './basic-auth';
import type { SignedRequest } from './signed-request';

function request(authorization?: string): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers: authorization === undefined ? {} : { authorization },
    rawBody: Buffer.from('{}'),
  };
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const config: BasicAuthConfig = {
  scheme: 'basic-auth',
  secrets: ['crm:old-pass', 'crm:p@ss:word'],
};

describe('verifyBasicAuth', () => {
  it('passes any active credentials, a colon in the password included (rotation)', () => {
    expect(verifyBasicAuth(config, request(basic('crm:p@ss:word')))).toEqual({ ok: true });
    expect(verifyBasicAuth(config, request(basic('crm:old-pass'))).ok).toBe(true);
  });

  it('rejects a wrong password or user', () => {
    const refused = {
      ok: false,
      reason: 'username and password do not match any active credentials',
    };
    expect(verifyBasicAuth(config, request(basic('crm:guess')))).toEqual(refused);
    expect(verifyBasicAuth(config, request(basic('admin:old-pass')))).toEqual(refused);
  });

  it('rejects a missing header, another scheme and credentials without a colon', () => {
    expect(verifyBasicAuth(config, request())).toEqual({
      ok: false,
      reason: 'header Authorization is missing',
    });
    expect(verifyBasicAuth(config, request('Bearer abc'))).toEqual({
      ok: false,
      reason: 'header Authorization does not carry Basic credentials',
    });
    expect(verifyBasicAuth(config, request(basic('no-colon')))).toEqual({
      ok: false,
      reason: 'header Authorization has no username:password pair',
    });
  });
});
