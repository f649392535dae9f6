import { Type, type Static } from '@sinclair/typebox';
import { ExpressionError } from './expressions';
import { NodeFailure } from './node-failure';
import { OutboundError } from './outbound-http';
import type { RunError } from './run-state';

/** Per-node retry policy (`nodes[].retry`): exponential backoff with jitter. */
export const RetryPolicySchema = Type.Object(
  {
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 20,
      description: 'Tries in all, first included',
    }),
    // Optional in documents (`{ "maxAttempts": 3 }` is enough); compileFlow fills the defaults.
    initialDelayMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000, default: 1000 })),
    maxDelayMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400_000, default: 300_000 })),
    factor: Type.Optional(Type.Number({ minimum: 1, maximum: 10, default: 2 })),
  },
  { additionalProperties: false },
);
/** A policy as compiled: every default filled in. */
export type RetryPolicy = Required<Static<typeof RetryPolicySchema>>;

/** A server asking for more than this is not waited for blindly. */
const MAX_RETRY_AFTER_MS = 3_600_000;

export interface FailureVerdict {
  error: RunError;
  retryable: boolean;
  retryAfterMs?: number;
}

/** Names the failure and decides whether trying again could help. */
export function classifyFailure(error: unknown, nodeId: string): FailureVerdict {
  if (error instanceof OutboundError) {
    return {
      error: { code: error.code, message: error.message, nodeId },
      // A timeout or a dropped connection may pass next time; a blocked address never will.
      retryable: error.code === 'timeout' || error.code === 'network',
    };
  }
  if (error instanceof ExpressionError) {
    return { error: { code: error.code, message: error.message, nodeId }, retryable: false };
  }
  if (error instanceof NodeFailure) {
    const failure: RunError = { code: error.code, message: error.message, nodeId };
    if (error.path !== undefined) failure.path = error.path;
    if (error.retry?.status !== undefined) failure.status = error.retry.status;
    return {
      error: failure,
      retryable: error.retry?.retryable ?? false,
      retryAfterMs: error.retry?.retryAfterMs,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: { code: 'node_failed', message, nodeId }, retryable: false };
}

/**
 * Delay before try `nextAttempt` (2 = first retry): `initial * factor^(n-2)`, capped, with
 * "equal jitter" (half fixed, half random) so retries of many runs spread out. A server's
 * Retry-After wins when it is given.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  nextAttempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(nextAttempt - 2, 0);
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped / 2 + (capped / 2) * random());
}

/** Parses `Retry-After`: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(at - now.getTime(), 0);
}
