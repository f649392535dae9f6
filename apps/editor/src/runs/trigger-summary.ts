import { isJsonObject, type JsonValue } from '../api/types';

/** Headers that name the event for common senders (GitHub, Shopify, generic webhooks). */
const EVENT_HEADERS = ['x-github-event', 'x-shopify-topic', 'x-event-type', 'x-webhook-event'];

/**
 * A few words on what started a run, for the run list: the event type the sender names (Stripe's
 * `type`, an `event` field, a GitHub/Shopify event header), else the method and path.
 */
export function triggerSummary(trigger: JsonValue | undefined): string {
  if (!isJsonObject(trigger)) return '';
  const body = trigger.body;
  if (isJsonObject(body)) {
    for (const key of ['type', 'event', 'event_type', 'topic']) {
      const value = body[key];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  const headers = isJsonObject(trigger.headers) ? trigger.headers : {};
  for (const name of EVENT_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  const method = typeof trigger.method === 'string' ? trigger.method : '';
  return method ? `${method} request` : '';
}
