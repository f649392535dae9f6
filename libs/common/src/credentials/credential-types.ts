import { Type, type Static, type TObject } from '@sinclair/typebox';

/*
 * The credential types: one TypeBox schema of secret fields each, declared once. The API validates
 * `data` against it, nodes and triggers get the matching static type from `resolve`, and the
 * editor can be served the same schema. Adding a type is one entry here (the Record is exhaustive).
 */

const MAX_SECRET = 8192;
const text = (description: string) =>
  Type.String({ minLength: 1, maxLength: MAX_SECRET, description });
const httpUrl = (description: string, pattern = '^https?://[^\\s]+$') =>
  Type.String({ minLength: 1, maxLength: 2048, pattern, description });

/** `api.example.com`, `*.example.com`, `10.0.0.5:8443`, `[::1]`: a host, optionally a port. */
export const ALLOWED_HOST_PATTERN =
  '^(\\*\\.)?([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$';

/**
 * Where a credential sent to a URL may go. Unset: any host the flow names (the outbound guard
 * still applies); set: a call to any other host fails before the secret is sent.
 */
const allowedHosts = () =>
  Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 261, pattern: ALLOWED_HOST_PATTERN }), {
      minItems: 1,
      maxItems: 50,
      description:
        'Hosts this credential may be sent to: `api.example.com`, `*.example.com` (subdomains), ' +
        'optionally with `:port`. Unset: any host',
    }),
  );

export const CREDENTIAL_SCHEMAS = {
  'slack-webhook': Type.Object(
    { url: httpUrl('Incoming webhook URL (it carries the secret)', '^https://[^\\s]+$') },
    { additionalProperties: false },
  ),
  'slack-bot': Type.Object(
    {
      token: text('Bot token, xoxb-...'),
      apiBaseUrl: Type.Optional(
        httpUrl('Slack Web API base URL; default https://slack.com/api (a stand-in in tests)'),
      ),
    },
    { additionalProperties: false },
  ),
  smtp: Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\s/]+$' }),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
      secure: Type.Boolean({ description: 'TLS from the start (port 465); false: STARTTLS' }),
      username: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
      password: Type.Optional(text('SMTP password')),
      from: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: 'Sender' })),
    },
    { additionalProperties: false },
  ),
  'http-bearer': Type.Object(
    { token: text('Sent as `Authorization: Bearer <token>`'), allowedHosts: allowedHosts() },
    { additionalProperties: false },
  ),
  'http-basic': Type.Object(
    {
      username: Type.String({ minLength: 1, maxLength: 320, pattern: '^[^:]*$' }),
      password: text('Basic auth password'),
      allowedHosts: allowedHosts(),
    },
    { additionalProperties: false },
  ),
  'http-header': Type.Object(
    {
      name: Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
        description: 'Header name, e.g. X-Api-Key',
      }),
      value: Type.String({
        minLength: 1,
        maxLength: MAX_SECRET,
        pattern: '^[^\\r\\n]+$',
        description: 'Header value (secret)',
      }),
      allowedHosts: allowedHosts(),
    },
    { additionalProperties: false },
  ),
  'oauth2-client': Type.Object(
    {
      tokenUrl: httpUrl('Token endpoint (client credentials grant)'),
      clientId: Type.String({ minLength: 1, maxLength: 1024 }),
      clientSecret: text('Client secret'),
      scope: Type.Optional(Type.String({ maxLength: 2048 })),
      allowedHosts: allowedHosts(),
    },
    { additionalProperties: false },
  ),
  'hmac-secret': Type.Object(
    {
      secrets: Type.Array(text('Shared signing secret'), {
        minItems: 1,
        maxItems: 5,
        description: 'Every listed secret is accepted (rotation); the first one signs',
      }),
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TObject>;

export type CredentialType = keyof typeof CREDENTIAL_SCHEMAS;

export type CredentialData<T extends CredentialType = CredentialType> = Static<
  (typeof CREDENTIAL_SCHEMAS)[T]
>;

/** What `resolve` answers: the type and its decrypted data, narrowed together by `type`. */
export type ResolvedCredential = {
  [T in CredentialType]: { type: T; data: CredentialData<T> };
}[CredentialType];

/**
 * Fields an operator may see back (they identify, they do not authenticate). Everything else is
 * masked in every answer.
 */
export const VISIBLE_FIELDS: { readonly [T in CredentialType]: ReadonlyArray<string> } = {
  'slack-webhook': [],
  'slack-bot': [],
  smtp: ['host', 'port', 'secure', 'username', 'from'],
  'http-bearer': ['allowedHosts'],
  'http-basic': ['username', 'allowedHosts'],
  'http-header': ['name', 'allowedHosts'],
  'oauth2-client': ['tokenUrl', 'clientId', 'scope', 'allowedHosts'],
  'hmac-secret': [],
};

export const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_SCHEMAS) as CredentialType[];

export function isCredentialType(value: unknown): value is CredentialType {
  return typeof value === 'string' && Object.hasOwn(CREDENTIAL_SCHEMAS, value);
}
