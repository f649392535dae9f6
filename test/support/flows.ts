/** Flow documents for e2e suites, built the way a user would write them. */
export function linearFlow(sinkUrl: string) {
  return {
    format: 'hookflow.flow/v1',
    name: 'Payments over 100 to the payments API',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'map',
        type: 'transform',
        params: { expression: "{ 'customer': data.object.customer, 'cents': data.object.amount }" },
      },
      { id: 'big', type: 'filter', params: { condition: 'cents > 10000' } },
      {
        id: 'notify',
        type: 'http.request',
        params: {
          url: `${sinkUrl}/payments/{{customer}}`,
          body: "{ 'customer': customer, 'amount': cents / 100, 'event': $trigger.body.id }",
        },
      },
      {
        id: 'small',
        type: 'transform',
        params: { expression: "{ 'ignored': customer }" },
      },
    ],
    edges: [
      { from: 'hook', to: 'map' },
      { from: 'map', to: 'big' },
      { from: 'big', port: 'true', to: 'notify' },
      { from: 'big', port: 'false', to: 'small' },
    ],
  };
}

export function stripeEvent(amount: number, id = `evt_${amount}`) {
  return {
    id,
    type: 'payment_intent.succeeded',
    data: { object: { id: 'pi_1', amount, currency: 'usd', customer: 'cus_42' } },
  };
}
