import type { DeliveryEntity, DeliverySummary } from '@hookflow/store';

/** The most body text one delivery answer carries; the stored body can be larger. */
export const MAX_RETURNED_BODY_BYTES = 1024 * 1024;

export function presentDeliverySummary(delivery: DeliverySummary) {
  return {
    id: delivery.id,
    hookId: delivery.hookId,
    flowId: delivery.flowId,
    receivedAt: delivery.receivedAt.toISOString(),
    method: delivery.method,
    contentType: delivery.contentType,
    sizeBytes: delivery.sizeBytes,
    status: delivery.status,
    reason: delivery.reason,
    executionId: delivery.executionId,
    replayOf: delivery.replayOf ?? null,
  };
}

export function presentDelivery(delivery: DeliveryEntity) {
  const body = delivery.body === null ? null : truncateUtf8(delivery.body, MAX_RETURNED_BODY_BYTES);
  return {
    ...presentDeliverySummary(delivery),
    /** Redacted when the delivery was received. */
    headers: delivery.headers,
    query: delivery.query,
    body: body?.text ?? null,
    bodyTruncated: body?.truncated ?? false,
  };
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never cutting a character
 * in half.
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Every UTF-16 unit encodes to at most 3 bytes: short text cannot be over the limit.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // A continuation byte (10xxxxxx) at the cut means a character starts before it: cut before that.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
