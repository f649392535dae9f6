import { createHash } from 'node:crypto';
import {
  isJsonObject,
  NodeFailure,
  parseRetryAfter,
  type CredentialValue,
  type JsonValue,
  type NodeContext,
} from '@hookflow/engine';
import { allowedHostsOf } from './credential-hosts';
import { excerptOf } from './hide-secrets';
import { formEncode } from './http-request-encoding';

/** What the node's credential adds to a request. */
export interface RequestAuth {
  /**
   * Values that must never be recorded: the credential's secrets, and every token obtained with
   * them (pushed as they are obtained, so hide them with this very array).
   */
  readonly secrets: string[];
  /** The credential's `allowedHosts`: the only hosts the request may go to, when set. */
  readonly allowedHosts?: string[];
  /** Headers to send, lowercase names; they override the node's own headers. */
  headers(): Promise<Record<string, string>>;
  /** The target answered 401: headers worth one more try, or undefined when none would help. */
  afterUnauthorized(): Promise<Record<string, string> | undefined>;
}

const SUPPORTED = 'an http-bearer, http-basic, http-header or oauth2-client credential';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The node's credential, or undefined when the node names none. A credential that is named but
 * cannot be found still fails the node: better no request than one without its authentication.
 */
async function nodeCredential(ctx: NodeContext): Promise<CredentialValue | undefined> {
  // Only a node that names a credential authenticates; a named but missing one fails the node.
  if (ctx.credentialName === undefined) return undefined;
  return ctx.credential();
}

function field(credential: CredentialValue, name: string): string {
  const value = credential.data[name];
  if (typeof value !== 'string' || value === '') {
    throw new NodeFailure('credential_type', `the ${credential.type} credential has no ${name}`);
  }
  return value;
}

function fixed(headers: Record<string, string>, secrets: string[]): RequestAuth {
  return {
    secrets,
    headers: () => Promise.resolve(headers),
    afterUnauthorized: () => Promise.resolve(undefined),
  };
}

/** The auth the node's `credential` asks for; undefined when the node has none. */
export async function authFor(
  ctx: NodeContext,
  timeoutMs: number,
): Promise<RequestAuth | undefined> {
  const credential = await nodeCredential(ctx);
  if (!credential) return undefined;
  const auth = credentialAuth(ctx, credential, timeoutMs);
  const allowedHosts = allowedHostsOf(credential);
  return allowedHosts ? { ...auth, allowedHosts } : auth;
}

function credentialAuth(
  ctx: NodeContext,
  credential: CredentialValue,
  timeoutMs: number,
): RequestAuth {
  switch (credential.type) {
    case 'http-bearer': {
      const token = field(credential, 'token');
      return fixed({ authorization: `Bearer ${token}` }, [token]);
    }
    case 'http-basic': {
      const username = typeof credential.data.username === 'string' ? credential.data.username : '';
      const password = field(credential, 'password');
      const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
      return fixed({ authorization: `Basic ${encoded}` }, [password, encoded]);
    }
    case 'http-header': {
      const name = field(credential, 'name');
      const value = field(credential, 'value');
      if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) {
        throw new NodeFailure(
          'credential_type',
          'the http-header credential is not a valid header',
        );
      }
      return fixed({ [name.toLowerCase()]: value }, [value]);
    }
    case 'oauth2-client':
      return oauth2Auth(ctx, oauth2Client(credential), timeoutMs);
    default:
      throw new NodeFailure(
        'credential_type',
        `http.request needs ${SUPPORTED}, not ${credential.type}`,
      );
  }
}

// --- OAuth 2 client credentials grant -------------------------------------------------------

interface OAuth2Client {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more (30 s before it expires). */
  usableUntil: number;
}

/** Tokens by client, shared by every run in this process. */
const tokenCache = new Map<string, CachedToken>();
export const TOKEN_CACHE_LIMIT = 500;
const EXPIRY_MARGIN_MS = 30_000;

/** Forgets every cached token (tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

function oauth2Client(credential: CredentialValue): OAuth2Client {
  const scope = credential.data.scope;
  return {
    tokenUrl: field(credential, 'tokenUrl'),
    clientId: field(credential, 'clientId'),
    clientSecret: field(credential, 'clientSecret'),
    ...(typeof scope === 'string' && scope.trim() !== '' ? { scope } : {}),
  };
}

/**
 * The token endpoint and client id name the client. The scope and the secret are in the key too:
 * another scope gets another token, and a credential with a wrong secret must not borrow the
 * token of the right one. Hashed, so the map holds no secret.
 */
function cacheKey(client: OAuth2Client): string {
  const parts = [client.tokenUrl, client.clientId, client.scope ?? '', client.clientSecret];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function remember(key: string, token: string, expiresInS: number | undefined, now: number): void {
  // Without expires_in there is no telling how long the token lives: it serves this run only.
  if (expiresInS === undefined) return;
  const usableUntil = now + expiresInS * 1000 - EXPIRY_MARGIN_MS;
  if (usableUntil <= now) return;
  tokenCache.delete(key);
  if (tokenCache.size >= TOKEN_CACHE_LIMIT) {
    for (const [other, entry] of tokenCache) {
      if (entry.usableUntil <= now) tokenCache.delete(other);
    }
  }
  // Still full: the entry stored longest ago goes (a Map iterates in insertion order).
  while (tokenCache.size >= TOKEN_CACHE_LIMIT) {
    const oldest = tokenCache.keys().next().value;
    if (oldest === undefined) break;
    tokenCache.delete(oldest);
  }
  tokenCache.set(key, { token, usableUntil });
}

function excerpt(body: string, secrets: readonly string[]): string {
  return excerptOf(body, secrets, 200) || 'no body';
}

function expiresIn(value: JsonValue | undefined): number | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : undefined;
}

/** POSTs the client credentials grant to the token endpoint, through the guarded `ctx.http`. */
async function requestToken(
  ctx: NodeContext,
  client: OAuth2Client,
  timeoutMs: number,
): Promise<{ token: string; expiresInS?: number }> {
  const form: Array<[string, string]> = [
    ['grant_type', 'client_credentials'],
    ['client_id', client.clientId],
    ['client_secret', client.clientSecret],
  ];
  if (client.scope !== undefined) form.push(['scope', client.scope]);
  const response = await ctx.http.request({
    method: 'POST',
    url: client.tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: formEncode(form),
    timeoutMs,
    signal: ctx.signal,
  });
  const { status } = response;
  if (status < 200 || status > 299) {
    throw new NodeFailure(
      'oauth_token',
      `token endpoint ${client.tokenUrl} answered ${status}: ${excerpt(response.body, [client.clientSecret])}`,
      undefined,
      {
        retryable: status >= 500 || status === 408 || status === 429,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], ctx.now()),
        status,
      },
    );
  }
  let answer: unknown;
  try {
    answer = JSON.parse(response.body);
  } catch {
    answer = undefined;
  }
  if (!isJsonObject(answer) || typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new NodeFailure(
      'oauth_token',
      `token endpoint ${client.tokenUrl} answered without an access_token`,
    );
  }
  return { token: answer.access_token, expiresInS: expiresIn(answer.expires_in) };
}

function oauth2Auth(ctx: NodeContext, client: OAuth2Client, timeoutMs: number): RequestAuth {
  const key = cacheKey(client);
  const secrets = [client.clientSecret];
  let current: string | undefined;

  const fetchToken = async (): Promise<Record<string, string>> => {
    const fresh = await requestToken(ctx, client, timeoutMs);
    secrets.push(fresh.token);
    remember(key, fresh.token, fresh.expiresInS, ctx.now().getTime());
    current = fresh.token;
    return { authorization: `Bearer ${fresh.token}` };
  };

  return {
    secrets,
    async headers() {
      const hit = tokenCache.get(key);
      if (hit && hit.usableUntil > ctx.now().getTime()) {
        secrets.push(hit.token);
        current = hit.token;
        return { authorization: `Bearer ${hit.token}` };
      }
      if (hit) tokenCache.delete(key);
      return fetchToken();
    },
    async afterUnauthorized() {
      if (current === undefined) return undefined;
      // The token was refused: nobody uses it again (unless another run has replaced it already).
      if (tokenCache.get(key)?.token === current) tokenCache.delete(key);
      return fetchToken();
    },
  };
}
