import {
  DEFAULT_TOLERANCE_SECONDS,
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
  checkFreshness,
  decodeDigest,
  hmac,
  readHeader,
  readUnixSeconds,
  type DigestEncoding,
  type HmacAlgorithm,
} from './verify-helpers';

/** What the sender signs: the raw body, or a timestamp header, a separator, then the body. */
export type HmacSignedContent =
  | { kind: 'body' }
  | {
      kind: 'timestamp-body';
      /** The header with the Unix time in seconds, e.g. `X-Timestamp`. */
      timestampHeader: string;
      /** Put between timestamp and body, e.g. `.` or `:`; may be empty. */
      separator: string;
      /** Default 300 s. */
      toleranceSeconds?: number;
    };

/** Any sender that signs with an HMAC the owner can describe (most "custom" webhooks). */
export interface GenericHmacSignatureConfig {
  scheme: 'hmac';
  secrets: ActiveSecrets;
  /** The header carrying the signature, e.g. `X-Signature`. */
  header: string;
  /** Text before the digest in the header, e.g. `sha256=`; compared exactly. */
  prefix?: string;
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  signedContent: HmacSignedContent;
}

export function verifyGenericHmac(
  config: GenericHmacSignatureConfig,
  request: SignedRequest,
  now: Date,
): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, config.header);
  if (!header.ok) return header;
  const prefix = config.prefix ?? '';
  if (!header.value.startsWith(prefix))
    return refused(`header ${config.header} does not start with ${prefix}`);
  const where = `header ${config.header}`;
  const received = decodeDigest(
    header.value.slice(prefix.length),
    config.encoding,
    config.algorithm,
    where,
  );
  if (!received.ok) return received;
  const content = config.signedContent;
  if (content.kind === 'body') {
    const matches = anySecretMatches([received.value], config.secrets, (secret) =>
      hmac(config.algorithm, secret, request.rawBody),
    );
    return matches ? VERIFIED : refused(NO_MATCH);
  }
  const timestamp = readHeader(request, content.timestampHeader);
  if (!timestamp.ok) return timestamp;
  const seconds = readUnixSeconds(timestamp.value, `header ${content.timestampHeader}`);
  if (!seconds.ok) return seconds;
  const matches = anySecretMatches([received.value], config.secrets, (secret) =>
    hmac(config.algorithm, secret, timestamp.value, content.separator, request.rawBody),
  );
  if (!matches) return refused(NO_MATCH);
  return checkFreshness(seconds.value, now, content.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
}
