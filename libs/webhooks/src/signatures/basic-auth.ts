import {
  VERIFIED,
  refused,
  type ActiveSecrets,
  type SignedRequest,
  type VerifyResult,
} from './signed-request';
import { NO_SECRETS, readHeader, textsEqual } from './verify-helpers';

/**
 * HTTP Basic authentication: for senders that offer only a username and password, or take
 * them in the URL (`https://user:pass@host/hooks/...`, which HTTP clients send as this header).
 */
export interface BasicAuthConfig {
  scheme: 'basic-auth';
  /** The accepted credentials, each written `username:password`. */
  secrets: ActiveSecrets;
}

const HEADER = 'Authorization';
const BASIC = /^basic\s+([A-Za-z0-9+/]+={0,2})$/i;

/** `Authorization: Basic base64(username:password)`, compared as a whole in constant time. */
export function verifyBasicAuth(config: BasicAuthConfig, request: SignedRequest): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, HEADER);
  if (!header.ok) return header;
  const match = BASIC.exec(header.value);
  if (!match) return refused(`header ${HEADER} does not carry Basic credentials`);
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  if (!credentials.includes(':')) return refused(`header ${HEADER} has no username:password pair`);
  const matched = config.secrets.reduce(
    (found, secret) => textsEqual(credentials, secret) || found,
    false,
  );
  return matched ? VERIFIED : refused('username and password do not match any active credentials');
}
