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

export function createApiClient(apiKey: string): ApiClient {
  const headers = (withBody: boolean): Record<string, string> => ({
    authorization: `Bearer ${apiKey}`,
    ...(withBody ? { 'content-type': 'application/json' } : {}),
  });
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(path, {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (!response.ok) throw toApiError(response.status, parsed);
      return parsed as T;
    },
    async stream(path: string, signal: AbortSignal) {
      const response = await fetch(path, { headers: headers(false), signal });
      if (!response.ok || !response.body) {
        throw toApiError(response.status, await response.json().catch(() => null));
      }
      return response.body;
    },
  };
}
