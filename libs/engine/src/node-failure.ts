/** A node's own, expected failure (bad response, wrong input shape), with a code for the user. */
export class NodeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
    /** Transient failures (5xx, 408, 429) may be retried by the node's retry policy. */
    readonly retry?: { retryable: boolean; retryAfterMs?: number; status?: number },
  ) {
    super(message);
    this.name = 'NodeFailure';
  }
}
