import {
  VERIFIED,
  refused,
  type ActiveSecrets,
  type SignedRequest,
  type VerifyResult,
} from './signed-request';
import {
  NO_MATCH,
  NO_SECRETS,
  anySecretMatches,
  decodeDigest,
  hmac,
  readHeader,
} from './verify-helpers';

/** GitHub: the webhook's "Secret" field. */
export interface GithubSignatureConfig {
  scheme: 'github';
  secrets: ActiveSecrets;
}

const HEADER = 'X-Hub-Signature-256';
const PREFIX = 'sha256=';

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. The older SHA-1
 * `X-Hub-Signature` header is ignored on purpose: GitHub sends both, and SHA-1 is weaker.
 */
export function verifyGithub(config: GithubSignatureConfig, request: SignedRequest): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, HEADER);
  if (!header.ok) return header;
  if (!header.value.startsWith(PREFIX))
    return refused(`header ${HEADER} does not start with ${PREFIX}`);
  const received = decodeDigest(
    header.value.slice(PREFIX.length),
    'hex',
    'sha256',
    `header ${HEADER}`,
  );
  if (!received.ok) return received;
  const matches = anySecretMatches([received.value], config.secrets, (secret) =>
    hmac('sha256', secret, request.rawBody),
  );
  return matches ? VERIFIED : refused(NO_MATCH);
}
