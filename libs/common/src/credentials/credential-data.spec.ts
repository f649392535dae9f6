import { checkCredentialData, MASK, maskCredential } from './credential-data';
import {
  CREDENTIAL_SCHEMAS,
  CREDENTIAL_TYPES,
  VISIBLE_FIELDS,
  type CredentialType,
  type ResolvedCredential,
} from './credential-types';

const SECRET = 'S3cr3t-value-never-shown';

/** One valid data object per type, every secret field set to SECRET. */
const VALID: { [T in CredentialType]: Extract<ResolvedCredential, { type: T }>['data'] } = {
  'slack-webhook': { url: `https://hooks.slack.com/services/T0/B0/${SECRET}` },
  'slack-bot': { token: `xoxb-${SECRET}` },
  smtp: {
    host: 'smtp.example.com',
    port: 587,
    secure: false,
    username: 'mailer',
    password: SECRET,
    from: 'Hookflow <hooks@example.com>',
  },
  'http-bearer': { token: SECRET },
  'http-basic': { username: 'api-user', password: SECRET },
  'http-header': { name: 'X-Api-Key', value: SECRET },
  'oauth2-client': {
    tokenUrl: 'https://auth.example.com/oauth/token',
    clientId: 'client-123',
    clientSecret: SECRET,
    scope: 'read write',
  },
  'hmac-secret': { secrets: [SECRET, `${SECRET}-previous`] },
};

describe('credential types', () => {
  it('are exactly the published eight', () => {
    expect(CREDENTIAL_TYPES).toEqual([
      'slack-webhook',
      'slack-bot',
      'smtp',
      'http-bearer',
      'http-basic',
      'http-header',
      'oauth2-client',
      'hmac-secret',
    ]);
  });

  it('only show fields their schema declares', () => {
    for (const type of CREDENTIAL_TYPES) {
      const declared = Object.keys(CREDENTIAL_SCHEMAS[type].properties);
      for (const field of VISIBLE_FIELDS[type]) expect(declared).toContain(field);
    }
  });
});

describe('checkCredentialData', () => {
  it.each(CREDENTIAL_TYPES)('accepts valid %s data', (type) => {
    expect(checkCredentialData(type, VALID[type])).toEqual({
      ok: true,
      credential: { type, data: VALID[type] },
    });
  });

  it.each([
    ['http-bearer', {}, ['/data/token']],
    ['http-basic', { username: 'u' }, ['/data/password']],
    ['http-basic', { username: 'a:b', password: 'p' }, ['/data/username']],
    ['http-header', { name: 'Bad Header', value: 'x' }, ['/data/name']],
    ['http-header', { name: 'X-A', value: 'a\r\nInjected: 1' }, ['/data/value']],
    ['slack-webhook', { url: 'http://hooks.slack.com/x' }, ['/data/url']],
    ['smtp', { host: 'mail', port: 0, secure: 'yes' }, ['/data/port', '/data/secure']],
    [
      'oauth2-client',
      { tokenUrl: 'ftp://x', clientId: 'c' },
      ['/data/tokenUrl', '/data/clientSecret'],
    ],
    ['hmac-secret', { secrets: [] }, ['/data/secrets']],
    ['hmac-secret', { secrets: ['1', '2', '3', '4', '5', '6'] }, ['/data/secrets']],
    ['hmac-secret', { secrets: ['ok', ''] }, ['/data/secrets/1']],
    ['slack-bot', { token: 'x', extra: 'y' }, ['/data/extra']],
    ['slack-bot', 'xoxb-token', ['/data']],
  ] as Array<[CredentialType, unknown, string[]]>)(
    'refuses bad %s data %j with every path',
    (type, data, paths) => {
      const result = checkCredentialData(type, data);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((problem) => problem.path).sort()).toEqual([...paths].sort());
    },
  );

  it('says "is required" for a missing field, and never quotes a value', () => {
    const missing = checkCredentialData('http-bearer', {});
    expect(missing).toEqual({
      ok: false,
      problems: [{ path: '/data/token', message: 'is required' }],
    });
    const bad = checkCredentialData('slack-webhook', { url: `http://${SECRET}`, x: SECRET });
    expect(JSON.stringify(bad)).not.toContain(SECRET);
  });
});

describe('maskCredential', () => {
  it.each(CREDENTIAL_TYPES)('masks every secret of a %s credential', (type) => {
    const credential = { type, data: VALID[type] } as ResolvedCredential;
    const fields = maskCredential(credential);
    expect(JSON.stringify(fields)).not.toContain(SECRET);
    expect(Object.keys(fields).sort()).toEqual(Object.keys(VALID[type]).sort());
  });

  it('shows identifying fields and one mask per rotated secret', () => {
    expect(maskCredential({ type: 'smtp', data: VALID.smtp })).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      username: 'mailer',
      password: MASK,
      from: 'Hookflow <hooks@example.com>',
    });
    expect(maskCredential({ type: 'hmac-secret', data: VALID['hmac-secret'] })).toEqual({
      secrets: [MASK, MASK],
    });
    expect(maskCredential({ type: 'oauth2-client', data: VALID['oauth2-client'] })).toMatchObject({
      tokenUrl: 'https://auth.example.com/oauth/token',
      clientId: 'client-123',
      clientSecret: MASK,
    });
  });
});

describe('checkCredentialData: field names that may be secrets', () => {
  it('names an unknown field that looks like a field name, hides one that does not', () => {
    const pasted = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp';
    const result = checkCredentialData('slack-bot', { token: 't', tokn: 'x', [pasted]: '' });
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: '/data/tokn', message: 'is not a field of a slack-bot credential' },
        { path: '/data', message: 'has a field that is not part of a slack-bot credential' },
      ],
    });
    expect(JSON.stringify(result)).not.toContain(pasted);
  });
});
