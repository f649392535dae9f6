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

/**
 * Shopify: the app's client secret, or for webhooks made in the store admin the key shown
 * under Settings > Notifications > Webhooks.
 */
export interface ShopifySignatureConfig {
  scheme: 'shopify';
  secrets: ActiveSecrets;
}

const HEADER = 'X-Shopify-Hmac-Sha256';

/**
 * `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>`. Shopify signs no timestamp,
 * so replays are caught by delivery dedup (`X-Shopify-Webhook-Id`), not here.
 */
export function verifyShopify(
  config: ShopifySignatureConfig,
  request: SignedRequest,
): VerifyResult {
  if (config.secrets.length === 0) return refused(NO_SECRETS);
  const header = readHeader(request, HEADER);
  if (!header.ok) return header;
  const received = decodeDigest(header.value, 'base64', 'sha256', `header ${HEADER}`);
  if (!received.ok) return received;
  const matches = anySecretMatches([received.value], config.secrets, (secret) =>
    hmac('sha256', secret, request.rawBody),
  );
  return matches ? VERIFIED : refused(NO_MATCH);
}
