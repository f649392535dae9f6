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

/** Stripe: the endpoint's signing secret (`whsec_...`, used as is). */
export interface StripeSignatureConfig {
  scheme: 'stripe';
  secrets: ActiveSecrets;
  /** Default 300 s, as in Stripe's libraries. */
  toleranceSeconds?: number;
}

const HEADER = 'Stripe-Signature';

/** `t=<unix>,v1=<hex>,v1=<hex>,v0=<hex>`: the timestamp and every v1 signature. */
function readStripeHeader(value: string): { timestamp?: string; signatures: string[] } {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const element of value.split(',')) {
    const equals = element.indexOf('=');
    if (equals === -1) continue;
    const name = element.slice(0, equals).trim();
    const content = element.slice(equals + 1).trim();
    if (name === 't' && timestamp === undefined) timestamp = content;
    // Only v1: accepting v0 (test-mode, unkeyed) or any other scheme would allow a downgrade.
    if (name === 'v1') signatures.push(content);
  }
  return { timestamp, signatures };
}

/**
 * `Stripe-Signature`: HMAC-SHA256 (hex) of `<t>.<raw body>`. Stripe sends one v1 signature per
 * active secret on its side while a secret is being rolled; any of them may match any of ours.
 */
export function verifyStripe(
  config: StripeSignatureConfig,
  request: SignedRequest,
  now: Date,
): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, HEADER);
  if (!header.ok) return header;
  const { timestamp, signatures } = readStripeHeader(header.value);
  if (timestamp === undefined) return refused(`header ${HEADER} has no timestamp (t=)`);
  if (signatures.length === 0) return refused(`header ${HEADER} has no v1 signature`);
  const seconds = readUnixSeconds(timestamp, `the t= of header ${HEADER}`);
  if (!seconds.ok) return seconds;
  const received: Buffer[] = [];
  for (const signature of signatures) {
    const decoded = decodeDigest(signature, 'hex', 'sha256', `a v1 signature in header ${HEADER}`);
    if (!decoded.ok) return decoded;
    received.push(decoded.value);
  }
  const matches = anySecretMatches(received, config.secrets, (secret) =>
    hmac('sha256', secret, `${timestamp}.`, request.rawBody),
  );
  if (!matches) return refused(NO_MATCH);
  return checkFreshness(seconds.value, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
}
