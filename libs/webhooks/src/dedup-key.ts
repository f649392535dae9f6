import type { JsonValue } from '@hookflow/engine';

/**
 * Headers providers put a delivery id in, most specific first. A retry of the same delivery
 * carries the same id, so it is the natural dedup key.
 */
const DELIVERY_ID_HEADERS = [
  'webhook-id', // Standard Webhooks (Svix, Clerk, Resend, ...)
  'svix-id', // the same, under Svix's own header names
  'x-github-delivery',
  'x-shopify-webhook-id',
  'x-gitlab-event-uuid',
  'i-twilio-idempotency-token',
  'idempotency-key',
];

/**
 * The dedup key of a delivery when the trigger's dedup mode is `auto`: a provider's delivery-id
 * header, else a Stripe event's `id` (`evt_...`), else none (the delivery always runs).
 */
export function autoDedupKey(headers: Record<string, string>, body: JsonValue): string | undefined {
  for (const name of DELIVERY_ID_HEADERS) {
    const value = headers[name]?.trim();
    if (value) return `${name}:${value}`;
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { id, object } = body;
    if (object === 'event' && typeof id === 'string' && id.startsWith('evt_'))
      return `stripe:${id}`;
  }
  return undefined;
}
