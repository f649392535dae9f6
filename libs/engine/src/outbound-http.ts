/**
 * The one door to the network for nodes. The app implements it with timeouts and the SSRF
 * guard; engine tests implement it with a fake.
 */
export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OutboundHttp {
  request(request: OutboundRequest): Promise<OutboundResponse>;
}

export type OutboundErrorCode = 'timeout' | 'blocked' | 'network' | 'too_large';

export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}
