import {
  DEFAULT_TOLERANCE_SECONDS,
  refused,
  type ActiveSecrets,
  type SignedRequest,
  type VerifyResult,
} from './signed-request';
import {
  NO_MATCH,
  NO_SECRETS,
  anySecretMatches,
  checkFreshness,
  decodeDigest,
  hmac,
  readHeader,
  readUnixSeconds,
} from './verify-helpers';

/** Slack: the app's "Signing Secret" (Basic Information, App Credentials). */
export interface SlackSignatureConfig {
  scheme: 'slack';
  secrets: ActiveSecrets;
  /** Default 300 s, as Slack recommends. */
  toleranceSeconds?: number;
}

const SIGNATURE_HEADER = 'X-Slack-Signature';
const TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
const PREFIX = 'v0=';

/** `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`. */
export function verifySlack(
  config: SlackSignatureConfig,
  request: SignedRequest,
  now: Date,
): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, SIGNATURE_HEADER);
  if (!header.ok) return header;
  const timestamp = readHeader(request, TIMESTAMP_HEADER);
  if (!timestamp.ok) return timestamp;
  const seconds = readUnixSeconds(timestamp.value, `header ${TIMESTAMP_HEADER}`);
  if (!seconds.ok) return seconds;
  if (!header.value.startsWith(PREFIX)) {
    return refused(`header ${SIGNATURE_HEADER} does not start with ${PREFIX}`);
  }
  const received = decodeDigest(
    header.value.slice(PREFIX.length),
    'hex',
    'sha256',
    `header ${SIGNATURE_HEADER}`,
  );
  if (!received.ok) return received;
  const matches = anySecretMatches([received.value], config.secrets, (secret) =>
    hmac('sha256', secret, `v0:${timestamp.value}:`, request.rawBody),
  );
  if (!matches) return refused(NO_MATCH);
  return checkFreshness(seconds.value, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
}
