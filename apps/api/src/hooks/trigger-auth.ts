import type { ResolvedCredential } from '@hookflow/common';
import type { JsonValue } from '@hookflow/engine';
import type {
  HmacSignedContent,
  SignatureConfig,
  SignedRequest,
  VerifyResult,
} from '@hookflow/webhooks';
import { verifySignature } from '@hookflow/webhooks';

/** `params.auth` of a webhook trigger: a scheme and the credential holding its secrets. */
export interface TriggerAuth {
  scheme: SignatureConfig['scheme'];
  credential: string;
  toleranceSeconds?: number;
  /** Twilio: the exact URL configured in Twilio, when a proxy changes it on the way in. */
  url?: string;
  /** Generic HMAC and header token: the header to read. */
  header?: string;
  prefix?: string;
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  /** Generic HMAC over `<timestamp><separator><body>`: where the timestamp is. */
  timestampHeader?: string;
  separator?: string;
  /** Generic HMAC: what is signed, as an object (the flat fields above say the same). */
  signedContent?:
    | { kind: 'body' }
    | {
        kind: 'timestamp-body';
        timestampHeader: string;
        separator?: string;
        toleranceSeconds?: number;
      };
}

/**
 * The secrets a credential contributes to a scheme: an hmac-secret's list (rotation); a basic
 * pair as `user:password`; a bearer token or a named header value for token checks.
 */
function secretsOf(
  credential: ResolvedCredential,
): { secrets: string[]; header?: string; prefix?: string } | undefined {
  switch (credential.type) {
    case 'hmac-secret':
      return { secrets: [...credential.data.secrets] };
    case 'http-basic':
      return { secrets: [`${credential.data.username}:${credential.data.password}`] };
    case 'http-bearer':
      return { secrets: [credential.data.token], header: 'authorization', prefix: 'Bearer ' };
    case 'http-header':
      return { secrets: [credential.data.value], header: credential.data.name };
    default:
      return undefined;
  }
}

/**
 * The URL Twilio signed. A configured `auth.url` gives scheme, host, port and path (what a proxy
 * changes); the query is the one received, because Twilio adds a per-request `bodySHA256` to a
 * JSON request's URL. Without a received query, the configured URL is taken as written.
 */
export function twilioUrl(configured: string | undefined, publicRequestUrl: string): string {
  if (configured === undefined) return publicRequestUrl;
  const queryAt = publicRequestUrl.indexOf('?');
  if (queryAt === -1) return configured;
  const base = configured.split(/[?#]/, 1)[0];
  return base + publicRequestUrl.slice(queryAt);
}

/** The generic HMAC's signed content: `signedContent` as documented, or the flat fields. */
function hmacSignedContent(auth: TriggerAuth): HmacSignedContent {
  const content: NonNullable<TriggerAuth['signedContent']> =
    auth.signedContent ??
    (auth.timestampHeader
      ? { kind: 'timestamp-body', timestampHeader: auth.timestampHeader }
      : { kind: 'body' });
  if (content.kind === 'body') return content;
  const tolerance = content.toleranceSeconds ?? auth.toleranceSeconds;
  return {
    kind: 'timestamp-body',
    timestampHeader: content.timestampHeader,
    separator: content.separator ?? auth.separator ?? '.',
    ...(tolerance === undefined ? {} : { toleranceSeconds: tolerance }),
  };
}

const NONE: readonly string[] = [];

/**
 * The headers (lowercase) this trigger reads a token or signature from, beyond the well-known
 * ones: `auth.header`, and an http-header credential's header name. Stored redacted.
 */
export function checkedHeaders(
  auth: TriggerAuth | undefined,
  credential: ResolvedCredential | undefined,
): readonly string[] {
  if (!auth) return NONE;
  const names = [
    auth.header,
    credential?.type === 'http-header' ? credential.data.name : undefined,
  ];
  return names
    .filter((name): name is string => name !== undefined)
    .map((name) => name.toLowerCase());
}

/** Builds the verifier's config from the trigger's settings and its decrypted credential. */
export function signatureConfig(
  auth: TriggerAuth,
  credential: ResolvedCredential,
  publicRequestUrl: string,
): SignatureConfig | string {
  const source = secretsOf(credential);
  if (!source) return `credential "${auth.credential}" (${credential.type}) cannot verify a sender`;
  const { secrets } = source;
  const tolerance =
    auth.toleranceSeconds === undefined ? {} : { toleranceSeconds: auth.toleranceSeconds };
  switch (auth.scheme) {
    case 'github':
    case 'shopify':
      return { scheme: auth.scheme, secrets };
    case 'stripe':
    case 'slack':
    case 'standard-webhooks':
      return { scheme: auth.scheme, secrets, ...tolerance };
    case 'twilio':
      return { scheme: 'twilio', secrets, url: twilioUrl(auth.url, publicRequestUrl) };
    case 'basic-auth':
      return { scheme: 'basic-auth', secrets };
    case 'header-token': {
      const header = auth.header ?? source.header;
      if (!header) return 'auth.header is required for header-token';
      return { scheme: 'header-token', secrets, header, prefix: auth.prefix ?? source.prefix };
    }
    case 'hmac':
      if (!auth.header) return 'auth.header is required for hmac';
      return {
        scheme: 'hmac',
        secrets,
        header: auth.header,
        prefix: auth.prefix,
        algorithm: auth.algorithm ?? 'sha256',
        encoding: auth.encoding ?? 'hex',
        signedContent: hmacSignedContent(auth),
      };
  }
}

/** Form fields as the Twilio scheme signs them (only flat string values). */
export function formFields(body: JsonValue): Record<string, string | string[]> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      fields[name] = value as string[];
    }
  }
  return fields;
}

export function verifySender(config: SignatureConfig, request: SignedRequest): VerifyResult {
  return verifySignature(config, request, new Date());
}
