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
  type Read,
} from './verify-helpers';

/** Standard Webhooks (Svix, Clerk, Resend, ...): the endpoint's `whsec_...` signing secret. */
export interface StandardWebhooksSignatureConfig {
  scheme: 'standard-webhooks';
  secrets: ActiveSecrets;
  /** Default 300 s, as in the Standard Webhooks libraries. */
  toleranceSeconds?: number;
}

const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key of a `whsec_<base64>` secret: the decoded bytes after the prefix. The prefix is
 * optional, as in the reference libraries. Returns undefined for a secret that is not base64.
 */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
  return Buffer.from(encoded, 'base64');
}

function keysOf(secrets: ActiveSecrets): Read<Buffer[]> {
  const keys: Buffer[] = [];
  for (const [index, secret] of secrets.entries()) {
    const key = standardWebhooksKey(secret);
    if (!key)
      return { ok: false, reason: `active secret #${index + 1} is not a whsec_ base64 secret` };
    keys.push(key);
  }
  return { ok: true, value: keys };
}

/**
 * A Standard Webhooks header, `webhook-<name>`, or the same header under Svix's brand,
 * `svix-<name>` (Clerk, Resend and other Svix senders use those; Svix's libraries read both).
 */
function readBrandedHeader(request: SignedRequest, name: string): Read<string> {
  const standard = readHeader(request, `webhook-${name}`);
  if (standard.ok) return standard;
  const svix = readHeader(request, `svix-${name}`);
  return svix.ok ? svix : standard;
}

/** The decoded v1 signatures of the signature header, or why there is none to check. */
function readSignatures(header: string): Read<Buffer[]> {
  const received: Buffer[] = [];
  let malformed: string | undefined;
  for (const entry of header.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || signature === undefined) continue;
    const where = `a v1 signature in header ${SIGNATURE_HEADER}`;
    const decoded = decodeDigest(signature, 'base64', 'sha256', where);
    if (decoded.ok) received.push(decoded.value);
    else malformed ??= decoded.reason;
  }
  if (received.length > 0) return { ok: true, value: received };
  return { ok: false, reason: malformed ?? `header ${SIGNATURE_HEADER} has no v1 signature` };
}

/**
 * `webhook-signature: v1,<base64> v1,<base64>`: base64 HMAC-SHA256 of
 * `<webhook-id>.<webhook-timestamp>.<raw body>`. Entries of other versions (`v1a` is the
 * asymmetric ed25519 variant, not supported here) are skipped; so are malformed v1 entries,
 * so that one bad entry cannot hide a good one (the first is named when no entry is usable).
 */
export function verifyStandardWebhooks(
  config: StandardWebhooksSignatureConfig,
  request: SignedRequest,
  now: Date,
): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const keys = keysOf(config.secrets);
  if (!keys.ok) return keys;
  const id = readBrandedHeader(request, 'id');
  if (!id.ok) return id;
  const timestamp = readBrandedHeader(request, 'timestamp');
  if (!timestamp.ok) return timestamp;
  const header = readBrandedHeader(request, 'signature');
  if (!header.ok) return header;
  const seconds = readUnixSeconds(timestamp.value, `header ${TIMESTAMP_HEADER}`);
  if (!seconds.ok) return seconds;
  const received = readSignatures(header.value);
  if (!received.ok) return received;
  const matches = anySecretMatches(received.value, keys.value, (key) =>
    hmac('sha256', key, `${id.value}.${timestamp.value}.`, request.rawBody),
  );
  if (!matches) return refused(NO_MATCH);
  return checkFreshness(seconds.value, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
}
