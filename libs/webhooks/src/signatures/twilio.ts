import { createHash } from 'node:crypto';
import { parseFormPairs } from '../body/form-body';
import { mediaTypeOf } from '../body/media-type';
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
  digestsEqual,
  hmac,
  readHeader,
} from './verify-helpers';

/** Twilio: the account's Auth Token (primary and, while rotating, secondary). */
export interface TwilioSignatureConfig {
  scheme: 'twilio';
  secrets: ActiveSecrets;
  /**
   * The exact URL configured in Twilio, query string included. Twilio signs that URL, and a
   * proxy in front of Hookflow may have changed scheme, host or port on the way in.
   * Default: the request's public URL.
   */
  url?: string;
}

const HEADER = 'X-Twilio-Signature';
const BODY_HASH_PARAM = 'bodySHA256';
type FormFields = ReadonlyMap<string, readonly string[]>;

function formFields(request: SignedRequest): FormFields {
  const fields = new Map<string, string[]>();
  const add = (name: string, value: string) =>
    fields.set(name, [...(fields.get(name) ?? []), value]);
  if (request.form) {
    for (const [name, value] of Object.entries(request.form)) {
      for (const item of typeof value === 'string' ? [value] : value) add(name, item);
    }
  } else if (mediaTypeOf(request.headers['content-type']) === 'application/x-www-form-urlencoded') {
    for (const [name, value] of parseFormPairs(request.rawBody.toString('utf8'))) add(name, value);
  }
  return fields;
}

/**
 * The signed string: the URL, then each field name (sorted by UTF-16 code units, as
 * JavaScript's sort does) followed by its value; repeated values de-duplicated and sorted.
 * This follows twilio-node's `getExpectedTwilioSignature`.
 */
function signedText(url: string, fields: FormFields): string {
  let text = url;
  for (const name of [...fields.keys()].sort()) {
    for (const value of [...new Set(fields.get(name))].sort()) text += name + value;
  }
  return text;
}

/**
 * The URL strings Twilio may have signed for one configured URL: the string exactly as
 * configured (older signers did not re-encode characters such as `'`), and its WHATWG form both
 * without any port and with the scheme's default port, because Twilio signs with or without the
 * port depending on the product (twilio-node tries both too).
 */
function urlVariants(configured: string, url: URL): string[] {
  const withoutPort = new URL(url.toString());
  withoutPort.port = '';
  let withPort = url.toString();
  if (!url.port) {
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    const password = url.password ? `:${url.password}` : '';
    const credentials = url.username || url.password ? `${url.username}${password}@` : '';
    withPort = `${url.protocol}//${credentials}${url.hostname}:${defaultPort}${url.pathname}${url.search}${url.hash}`;
  }
  return [...new Set([configured, withoutPort.toString(), withPort])];
}

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1 of the public URL followed by the sorted form fields.
 * JSON bodies are covered instead by a `bodySHA256` query parameter (hex SHA-256 of the body)
 * inside the signed URL, and then no fields are signed.
 */
export function verifyTwilio(config: TwilioSignatureConfig, request: SignedRequest): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, HEADER);
  if (!header.ok) return header;
  const configured = config.url ?? request.url;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return refused('the URL Twilio posts to is not a valid URL: check the trigger settings');
  }
  const received = decodeDigest(header.value, 'base64', 'sha1', `header ${HEADER}`);
  if (!received.ok) return received;
  const bodyHash = url.searchParams.get(BODY_HASH_PARAM);
  const fields: FormFields = bodyHash === null ? formFields(request) : new Map();
  const texts = urlVariants(configured, url).map((variant) => signedText(variant, fields));
  const matches = texts.some((text) =>
    anySecretMatches([received.value], config.secrets, (secret) => hmac('sha1', secret, text)),
  );
  if (!matches) return refused(NO_MATCH);
  if (bodyHash === null) return VERIFIED;
  const expected = createHash('sha256').update(request.rawBody).digest();
  const claimed = /^[0-9a-fA-F]{64}$/.test(bodyHash)
    ? Buffer.from(bodyHash, 'hex')
    : Buffer.alloc(0);
  return digestsEqual(claimed, expected)
    ? VERIFIED
    : refused(`body does not match the ${BODY_HASH_PARAM} in the signed URL`);
}
