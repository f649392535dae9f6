import { isJsonObject, type JsonValue } from '@hookflow/engine';
import { hideSecrets } from './hide-secrets';

/** A query string or form name as it was sent, decoded; the raw text when it does not decode. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Adds `entries` to the URL's query string, URL-encoded. What the URL already carries stays as
 * written, except parameters of the same name: those give way to `entries`.
 */
export function withQuery(url: string, entries: ReadonlyArray<[string, string]>): string {
  if (entries.length === 0) return url;
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const beforeFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeFragment.indexOf('?');
  const base = queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const existing = queryAt === -1 ? '' : beforeFragment.slice(queryAt + 1);
  const replaced = new Set(entries.map(([name]) => name));
  const kept = existing
    .split('&')
    .filter((part) => part !== '' && !replaced.has(decodeName(part.split('=')[0])));
  const added = entries.map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  return `${base}?${[...kept, ...added].join('&')}${fragment}`;
}

/** `application/x-www-form-urlencoded`, as browsers encode forms (spaces as `+`). */
export function formEncode(entries: ReadonlyArray<[string, string]>): string {
  return new URLSearchParams(
    entries.map(([name, value]): [string, string] => [name, value]),
  ).toString();
}

/** JSON (`application/json`, `+json`) parsed, anything else as text; an empty body is null. */
export function parseResponseBody(body: string, contentType: string | undefined): JsonValue {
  if (body === '') return null;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(body) as JsonValue;
    } catch {
      return body;
    }
  }
  return body;
}

/** `value` with every secret replaced by `[redacted]`, in strings and in object keys. */
export function hideSecretsIn(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return hideSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => hideSecretsIn(item, secrets));
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        hideSecrets(key, secrets),
        hideSecretsIn(item, secrets),
      ]),
    );
  }
  return value;
}
