/**
 * What each sender-verification scheme of a webhook trigger uses besides its credential
 * (mirrors apps/api/src/hooks/trigger-auth.ts), and which credential types can feed it.
 */
const SCHEME_FIELDS: Record<string, readonly string[]> = {
  github: [],
  shopify: [],
  stripe: ['toleranceSeconds'],
  slack: ['toleranceSeconds'],
  'standard-webhooks': ['toleranceSeconds'],
  twilio: ['url'],
  'basic-auth': [],
  'header-token': ['header', 'prefix'],
  hmac: ['header', 'prefix', 'algorithm', 'encoding', 'timestampHeader', 'separator'],
};

const SIGNING_SECRET = ['hmac-secret'];
const SCHEME_CREDENTIALS: Record<string, readonly string[]> = {
  'basic-auth': ['http-basic'],
  'header-token': ['hmac-secret', 'http-bearer', 'http-header'],
};

/** The optional fields shown for a scheme; hmac with a timestamp header adds a tolerance. */
export function schemeFields(scheme: string, timestampHeader: boolean): readonly string[] {
  const fields = SCHEME_FIELDS[scheme] ?? [];
  return scheme === 'hmac' && timestampHeader ? [...fields, 'toleranceSeconds'] : fields;
}

/** The credential types that can verify a sender with this scheme. */
export function credentialTypesFor(scheme: string): readonly string[] {
  return SCHEME_CREDENTIALS[scheme] ?? SIGNING_SECRET;
}
