import { verifyBasicAuth, type BasicAuthConfig } from './basic-auth';
import { verifyGenericHmac, type GenericHmacSignatureConfig } from './generic-hmac';
import { verifyGithub, type GithubSignatureConfig } from './github';
import { verifyHeaderToken, type HeaderTokenConfig } from './header-token';
import { verifyShopify, type ShopifySignatureConfig } from './shopify';
import type { SignedRequest, VerifyResult } from './signed-request';
import { verifySlack, type SlackSignatureConfig } from './slack';
import {
  standardWebhooksKey,
  verifyStandardWebhooks,
  type StandardWebhooksSignatureConfig,
} from './standard-webhooks';
import { verifyStripe, type StripeSignatureConfig } from './stripe';
import { verifyTwilio, type TwilioSignatureConfig } from './twilio';

export type { BasicAuthConfig } from './basic-auth';
export type { GenericHmacSignatureConfig, HmacSignedContent } from './generic-hmac';
export type { GithubSignatureConfig } from './github';
export type { HeaderTokenConfig } from './header-token';
export type { ShopifySignatureConfig } from './shopify';
export type { SlackSignatureConfig } from './slack';
export type { StandardWebhooksSignatureConfig } from './standard-webhooks';
export type { StripeSignatureConfig } from './stripe';
export type { TwilioSignatureConfig } from './twilio';
export type { DigestEncoding, HmacAlgorithm } from './verify-helpers';
export { DEFAULT_TOLERANCE_SECONDS } from './signed-request';
export type { ActiveSecrets, SignedRequest, VerifyResult } from './signed-request';

/** How a trigger authenticates its sender; `scheme` picks the verifier. */
export type SignatureConfig =
  | GithubSignatureConfig
  | StripeSignatureConfig
  | SlackSignatureConfig
  | ShopifySignatureConfig
  | TwilioSignatureConfig
  | StandardWebhooksSignatureConfig
  | GenericHmacSignatureConfig
  | HeaderTokenConfig
  | BasicAuthConfig;

export type SignatureScheme = SignatureConfig['scheme'];

/** Names only the scheme: the rest of a config holds secrets, which must not reach a log. */
function assertUnreachable(config: never): never {
  const scheme: unknown = (config as { scheme?: unknown }).scheme;
  throw new Error(`unknown signature scheme: ${String(scheme)}`);
}

/**
 * Checks that a delivery comes from the configured sender. Pure: the clock is `now`, the
 * secrets come in the config (any active one passes), nothing is logged. The reason of a
 * refusal is for the owner's delivery log; it never holds an expected signature or a secret.
 */
export function verifySignature(
  config: SignatureConfig,
  request: SignedRequest,
  now: Date = new Date(),
): VerifyResult {
  switch (config.scheme) {
    case 'github':
      return verifyGithub(config, request);
    case 'stripe':
      return verifyStripe(config, request, now);
    case 'slack':
      return verifySlack(config, request, now);
    case 'shopify':
      return verifyShopify(config, request);
    case 'twilio':
      return verifyTwilio(config, request);
    case 'standard-webhooks':
      return verifyStandardWebhooks(config, request, now);
    case 'hmac':
      return verifyGenericHmac(config, request, now);
    case 'header-token':
      return verifyHeaderToken(config, request);
    case 'basic-auth':
      return verifyBasicAuth(config, request);
    default:
      return assertUnreachable(config);
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function toleranceOf(config: SignatureConfig): number | undefined {
  if (config.scheme === 'hmac') {
    return config.signedContent.kind === 'timestamp-body'
      ? config.signedContent.toleranceSeconds
      : undefined;
  }
  return 'toleranceSeconds' in config ? config.toleranceSeconds : undefined;
}

/** Every header name a config reads from the request, as the owner wrote it. */
function configuredHeaders(config: SignatureConfig): string[] {
  if (config.scheme === 'header-token') return [config.header];
  if (config.scheme !== 'hmac') return [];
  const timestamp =
    config.signedContent.kind === 'timestamp-body' ? [config.signedContent.timestampHeader] : [];
  return [config.header, ...timestamp];
}

/**
 * Every problem with a config, each in words for the editor, or an empty list. Meant for
 * saving a trigger, so that a mistake shows up there instead of as refused deliveries.
 */
export function signatureConfigProblems(config: SignatureConfig): string[] {
  const problems: string[] = [];
  if (config.secrets.length === 0) problems.push('add at least one secret');
  config.secrets.forEach((secret, index) => {
    if (secret.length === 0) problems.push(`secret #${index + 1} is empty`);
  });
  const tolerance = toleranceOf(config);
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance > 0)) {
    problems.push('the timestamp tolerance must be a whole number of seconds above 0');
  }
  for (const header of configuredHeaders(config)) {
    if (!HEADER_NAME.test(header)) problems.push(`"${header}" is not a valid header name`);
  }
  if (config.scheme === 'standard-webhooks') {
    config.secrets.forEach((secret, index) => {
      if (secret && !standardWebhooksKey(secret))
        problems.push(`secret #${index + 1} is not a whsec_ base64 secret`);
    });
  }
  if (config.scheme === 'basic-auth') {
    config.secrets.forEach((secret, index) => {
      if (secret && !secret.includes(':'))
        problems.push(`credentials #${index + 1} must be written username:password`);
    });
  }
  if (config.scheme === 'twilio' && config.url !== undefined && !URL.canParse(config.url)) {
    problems.push('the Twilio URL is not a valid URL');
  }
  return problems;
}
