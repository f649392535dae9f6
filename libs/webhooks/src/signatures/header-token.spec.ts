import { verifyHeaderToken, type HeaderTokenConfig } from './header-token';
import type { SignedRequest } from './signed-request';

function request(headers: Record<string, string>): SignedRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/hooks/h1',
    headers,
    rawBody: Buffer.from('{}'),
  };
}

const gitlab: HeaderTokenConfig = {
  scheme: 'header-token',
  secrets: ['s3cret-token'],
  header: 'X-Gitlab-Token',
};
const bearer: HeaderTokenConfig = {
  scheme: 'header-token',
  secrets: ['old-token', 'new-token'],
  header: 'Authorization',
  prefix: 'Bearer ',
};

describe('verifyHeaderToken', () => {
  it('passes the configured token', () => {
    expect(verifyHeaderToken(gitlab, request({ 'x-gitlab-token': 's3cret-token' }))).toEqual({
      ok: true,
    });
  });

  it('passes any active token after a case-insensitive prefix (rotation)', () => {
    expect(verifyHeaderToken(bearer, request({ authorization: 'bearer new-token' })).ok).toBe(true);
    expect(verifyHeaderToken(bearer, request({ authorization: 'Bearer old-token' })).ok).toBe(true);
  });

  it('rejects a wrong token, a prefix of the token and a longer token', () => {
    for (const token of ['wrong', 's3cret', 's3cret-token-and-more']) {
      expect(verifyHeaderToken(gitlab, request({ 'x-gitlab-token': token }))).toEqual({
        ok: false,
        reason: 'token in header X-Gitlab-Token does not match any active secret',
      });
    }
  });

  it('rejects a missing header and a missing prefix', () => {
    expect(verifyHeaderToken(gitlab, request({}))).toEqual({
      ok: false,
      reason: 'header X-Gitlab-Token is missing',
    });
    expect(verifyHeaderToken(bearer, request({ authorization: 'new-token' }))).toEqual({
      ok: false,
      reason: 'header Authorization does not start with Bearer',
    });
  });
});
