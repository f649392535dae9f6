import { isJsonObject, type ProblemDetail } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProblemDetail[],
  ) {
    super(message);
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : {};
  const details = Array.isArray(error.details)
    ? error.details.filter(isJsonObject).map((detail) => ({
        path: String(detail.path ?? ''),
        message: String(detail.message ?? ''),
      }))
    : [];
  return new ApiError(
    status,
    typeof error.code === 'string' ? error.code : 'error',
    typeof error.message === 'string' ? error.message : `request failed (${status})`,
    details,
  );
}

export interface ApiClient {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Opens a server-sent events stream with the key in the header (not the URL). */
  stream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

/**
 * How the editor proves who it is: an API key (Bearer header, kept in the tab), or the session
 * cookie the browser sends by itself, with the header that tells the API a change really comes
 * from the editor (a cross-site form or fetch cannot add it).
 */
export type ClientAuth = { kind: 'key'; key: string } | { kind: 'session' };

function createClient(auth: ClientAuth): ApiClient {
  const headers = (withBody: boolean): Record<string, string> => ({
    ...(auth.kind === 'key' ? { authorization: `Bearer ${auth.key}` } : { 'x-hookflow-csrf': '1' }),
    ...(withBody ? { 'content-type': 'application/json' } : {}),
  });
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(path, {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (!response.ok) throw toApiError(response.status, parsed);
      return parsed as T;
    },
    async stream(path: string, signal: AbortSignal) {
      const response = await fetch(path, {
        headers: headers(false),
        signal,
        credentials: 'same-origin',
      });
      if (!response.ok || !response.body) {
        throw toApiError(response.status, await response.json().catch(() => null));
      }
      return response.body;
    },
  };
}

export function createApiClient(apiKey: string): ApiClient {
  return createClient({ kind: 'key', key: apiKey });
}

/** For a browser signed in with a password (the session cookie). */
export function createSessionClient(): ApiClient {
  return createClient({ kind: 'session' });
}
