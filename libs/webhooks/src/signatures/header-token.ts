import {
  VERIFIED,
  refused,
  type ActiveSecrets,
  type SignedRequest,
  type VerifyResult,
} from './signed-request';
import { NO_SECRETS, readHeader, textsEqual } from './verify-helpers';

/**
 * A shared token sent as is in a header (GitLab's `X-Gitlab-Token`, `Authorization: Bearer`,
 * many form tools). Weaker than a signature: it authenticates the sender, not the body.
 */
export interface HeaderTokenConfig {
  scheme: 'header-token';
  /** The active tokens. */
  secrets: ActiveSecrets;
  /** e.g. `Authorization`, `X-Gitlab-Token`. */
  header: string;
  /** Text before the token, e.g. `Bearer `; compared case-insensitively, as auth schemes are. */
  prefix?: string;
}

export function verifyHeaderToken(config: HeaderTokenConfig, request: SignedRequest): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, config.header);
  if (!header.ok) return header;
  const prefix = config.prefix ?? '';
  if (header.value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) {
    return refused(`header ${config.header} does not start with ${prefix.trim()}`);
  }
  const token = header.value.slice(prefix.length).trim();
  // No early exit: every comparison runs, so timing says nothing about which token is close.
  const matched = config.secrets.reduce(
    (found, secret) => textsEqual(token, secret) || found,
    false,
  );
  return matched
    ? VERIFIED
    : refused(`token in header ${config.header} does not match any active secret`);
}
