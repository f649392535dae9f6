import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ErrorDetail } from '../errors';
import {
  ALLOWED_HOST_PATTERN,
  CREDENTIAL_SCHEMAS,
  VISIBLE_FIELDS,
  type CredentialType,
  type ResolvedCredential,
} from './credential-types';

/** What every secret value is shown as. */
export const MASK = '••••';

export type MaskedValue = string | number | boolean | string[];
export type MaskedFields = Record<string, MaskedValue>;

export type CredentialCheck =
  { ok: true; credential: ResolvedCredential } | { ok: false; problems: ErrorDetail[] };

/**
 * Checks `data` against the type's schema. Problems carry JSON pointers under `pathPrefix`
 * (`/data/token`) and never the offending value: it may be a secret.
 */
export function checkCredentialData(
  type: CredentialType,
  data: unknown,
  pathPrefix = '/data',
): CredentialCheck {
  const schema = CREDENTIAL_SCHEMAS[type];
  const problems: ErrorDetail[] = [];
  for (const error of Value.Errors(schema, data)) {
    const shown = shownPath(error.path);
    const path = `${pathPrefix}${shown}`;
    // A missing property yields a second, vaguer error on the same path: keep the first.
    if (problems.some((problem) => problem.path === path)) continue;
    let message: string;
    if (shown !== error.path) message = `has a field that is not part of a ${type} credential`;
    else if (error.value === undefined) message = 'is required';
    else if (error.message === 'Unexpected property') {
      message = `is not a field of a ${type} credential`;
    } else message = describe(error.message, error.schema);
    problems.push({ path, message });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, credential: { type, data } as ResolvedCredential };
}

/** Field names look like identifiers; anything else may be a secret pasted as a key. */
const SHOWABLE_FIELD = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

/** The JSON pointer with any segment that does not look like a field name cut off. */
function shownPath(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  const cut = segments.findIndex(
    (segment) => !/^\d+$/.test(segment) && !SHOWABLE_FIELD.test(segment),
  );
  return (cut === -1 ? segments : segments.slice(0, cut)).map((segment) => `/${segment}`).join('');
}

/** Reads a TypeBox message without ever quoting the value; adds the allowed pattern's meaning. */
function describe(message: string, schema: TSchema): string {
  const pattern: unknown = schema.pattern;
  if (typeof pattern !== 'string') return message;
  if (pattern.startsWith('^https://')) return 'must be an https:// URL';
  if (pattern.startsWith('^https?://')) return 'must be an http(s):// URL';
  if (pattern === '^[^:]*$') return 'must not contain ":"';
  if (pattern.includes('\\r\\n')) return 'must be one line';
  if (pattern.startsWith("^[!#$%&'*+")) return 'must be an HTTP header name';
  if (pattern === ALLOWED_HOST_PATTERN) {
    return 'must be a host name (`api.example.com`, `*.example.com`), optionally with `:port`';
  }
  return 'has characters that are not allowed';
}

/**
 * The credential as it may be shown: identifying fields as they are, every secret as "••••"
 * (a list of secrets as one mask per entry, so rotation state stays visible).
 */
export function maskCredential(credential: ResolvedCredential): MaskedFields {
  const visible = new Set(VISIBLE_FIELDS[credential.type]);
  const fields: MaskedFields = {};
  for (const [field, value] of Object.entries(credential.data) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (visible.has(field) && isShowable(value)) fields[field] = value;
    else if (Array.isArray(value)) fields[field] = value.map(() => MASK);
    else fields[field] = MASK;
  }
  return fields;
}

function isShowable(value: unknown): value is string | number | boolean | string[] {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
