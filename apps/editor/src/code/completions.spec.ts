import { completionsFor, fieldPaths } from './completions';

const PAYMENT = {
  type: 'payment_intent.succeeded',
  data: { object: { id: 'pi_1', amount: 2500 } },
};
const source = {
  message: PAYMENT,
  trigger: { headers: { 'stripe-signature': 't=1' }, body: PAYMENT },
};

describe('expression completions', () => {
  it('lists the field paths of a message, arrays through their first item', () => {
    expect(fieldPaths({ a: { b: 1 }, items: [{ sku: 'x' }], 'odd key': 1 })).toEqual([
      'a',
      'a.b',
      'items',
      'items.sku',
      '`odd key`',
    ]);
  });

  it('completes a partly typed path with the nearest paths first', () => {
    const found = completionsFor(source, "{ 'cents': data.object.am");
    expect(found?.replace).toBe('data.object.am'.length);
    expect(found?.options.map((option) => option.apply)).toEqual(['data.object.amount']);
    expect(found?.options[0].detail).toBe('2500');
    expect(completionsFor(source, 'da')?.options.map((option) => option.apply)).toEqual([
      'data',
      'data.object',
      'data.object.id',
      'data.object.amount',
    ]);
  });

  it('completes $trigger paths, variables and JSONata functions with signatures', () => {
    expect(completionsFor(source, '$trigger.he')?.options.map((option) => option.label)).toEqual([
      '$trigger.headers',
      '$trigger.headers.`stripe-signature`',
    ]);
    const sum = completionsFor(source, '$su')?.options;
    expect(sum?.map((option) => [option.label, option.apply])).toEqual([
      ['$sum(array)', '$sum('],
      ['$substring(string, start, length?)', '$substring('],
      ['$substringBefore(string, chars)', '$substringBefore('],
      ['$substringAfter(string, chars)', '$substringAfter('],
    ]);
  });

  it('offers nothing for an empty or complete word, or a number', () => {
    expect(completionsFor(source, 'amount > ')).toBeUndefined();
    expect(completionsFor(source, 'data.object.amount')).toBeUndefined();
    expect(completionsFor(source, '10')).toBeUndefined();
  });
});
