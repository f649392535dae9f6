import { triggerSummary } from './trigger-summary';

describe('triggerSummary', () => {
  it('names the event a sender gives: body type/event, then event headers, then the method', () => {
    expect(triggerSummary({ method: 'POST', body: { type: 'payment_intent.succeeded' } })).toBe(
      'payment_intent.succeeded',
    );
    expect(triggerSummary({ method: 'POST', body: { event: 'order.paid' } })).toBe('order.paid');
    expect(
      triggerSummary({ method: 'POST', headers: { 'x-github-event': 'push' }, body: { ref: 'x' } }),
    ).toBe('push');
    expect(triggerSummary({ method: 'GET', headers: {}, body: null })).toBe('GET request');
    expect(triggerSummary(undefined)).toBe('');
  });
});
