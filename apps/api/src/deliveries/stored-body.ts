import type { JsonValue } from '@hookflow/engine';
import type { DeliveryEntity } from '@hookflow/store';
import type { ParseBodyOptions } from '@hookflow/webhooks';
import { readRequestBody } from '../hooks/read-body';

export type StoredBody =
  | { ok: true; body: JsonValue; source?: Buffer }
  | { ok: false; code: 'body_not_stored' | 'body_unreadable'; reason: string };

/**
 * A logged delivery's body read again the way the intake read the request (readRequestBody), or
 * why it cannot be: replays and dry runs run what the flow received.
 */
export function readStoredBody(delivery: DeliveryEntity, options?: ParseBodyOptions): StoredBody {
  const parsed = readRequestBody({
    method: delivery.method,
    contentType: delivery.contentType ?? undefined,
    raw: Buffer.from(delivery.body ?? '', 'utf8'),
    query: delivery.query,
    ...(options ? { options } : {}),
  });
  // A body refused before it was read (e.g. 413) is gone; only a body-less GET/DELETE reads fine.
  if (delivery.body === null && !(parsed.ok && parsed.body === delivery.query)) {
    const reason = `its body was not stored (answered ${delivery.status} before the body was read)`;
    return { ok: false, code: 'body_not_stored', reason };
  }
  if (!parsed.ok) return { ok: false, code: 'body_unreadable', reason: parsed.reason };
  // The JSON text as stored comes back too: an accepted replay stores it once, like the intake.
  return parsed.source === undefined
    ? { ok: true, body: parsed.body }
    : { ok: true, body: parsed.body, source: parsed.source };
}
