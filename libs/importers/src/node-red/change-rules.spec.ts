import { ExpressionCache, type JsonValue } from '@hookflow/engine';
import { translateChangeRules, type ChangeRule } from './change-rules';

const cache = new ExpressionCache();
const scope = { trigger: {}, nodes: {}, execution: {} };

async function apply(rules: ChangeRule[], msg: JsonValue): Promise<JsonValue> {
  const { expression } = translateChangeRules(rules);
  return cache.jsonata(expression).evaluate(msg, scope);
}

// Expected values follow Node-RED's change node: rules run in order, each seeing the message as
// the rules before it left it; `set` creates missing objects on the way.
describe('translateChangeRules', () => {
  const msg = {
    payload: { amount: 12_500, currency: 'usd', items: [{ sku: 'A' }] },
    topic: 'order',
  };

  it('sets typed values at the top level and deep down, creating objects', async () => {
    const result = await apply(
      [
        { t: 'set', p: 'topic', pt: 'msg', to: 'big order', tot: 'str' },
        { t: 'set', p: 'payload.meta.source', pt: 'msg', to: 'shop', tot: 'str' },
        { t: 'set', p: 'priority', pt: 'msg', to: '2', tot: 'num' },
        { t: 'set', p: 'flags', pt: 'msg', to: '{"vip":true,"tags":["a"]}', tot: 'json' },
        { t: 'set', p: 'ok', pt: 'msg', to: 'true', tot: 'bool' },
      ],
      msg,
    );
    expect(result).toEqual({
      payload: { ...msg.payload, meta: { source: 'shop' } },
      topic: 'big order',
      priority: 2,
      flags: { vip: true, tags: ['a'] },
      ok: true,
    });
  });

  it('evaluates JSONata and msg values against the message as earlier rules left it', async () => {
    const result = await apply(
      [
        { t: 'set', p: 'payload.amount', pt: 'msg', to: 'payload.amount / 100', tot: 'jsonata' },
        {
          t: 'set',
          p: 'total',
          pt: 'msg',
          to: '$string(payload.amount) & " " & $uppercase(payload.currency)',
          tot: 'jsonata',
        },
        { t: 'set', p: 'firstItems', pt: 'msg', to: 'payload.items', tot: 'msg' },
      ],
      msg,
    );
    expect(result).toMatchObject({
      payload: { amount: 125 },
      total: '125 USD',
      firstItems: [{ sku: 'A' }],
    });
  });

  it('deletes and moves properties; a missing path changes nothing', async () => {
    const result = await apply(
      [
        { t: 'delete', p: 'payload.currency', pt: 'msg' },
        { t: 'delete', p: 'payload.nothing.here', pt: 'msg' },
        { t: 'move', p: 'topic', pt: 'msg', to: 'payload.kind', tot: 'msg' },
      ],
      msg,
    );
    expect(result).toEqual({ payload: { amount: 12_500, items: [{ sku: 'A' }], kind: 'order' } });
  });

  it('deletes the last key of an object, leaving an empty object', async () => {
    expect(await apply([{ t: 'delete', p: 'a.b', pt: 'msg' }], { a: { b: 1 } })).toEqual({ a: {} });
  });

  it('replaces inside strings, by text or regex, and swaps equal numbers', async () => {
    const result = await apply(
      [
        { t: 'change', p: 'a', pt: 'msg', from: 'o', fromt: 'str', to: '0', tot: 'str' },
        { t: 'change', p: 'b', pt: 'msg', from: '\\d+', fromt: 're', to: '#', tot: 'str' },
        { t: 'change', p: 'c', pt: 'msg', from: '5', fromt: 'num', to: 'five', tot: 'str' },
        { t: 'change', p: 'd', pt: 'msg', from: 'yes', fromt: 'str', to: 'true', tot: 'bool' },
      ],
      { a: 'foo boo', b: 'a1b22', c: 5, d: 'yes' },
    );
    expect(result).toEqual({ a: 'f00 b00', b: 'a#b#', c: 'five', d: true });
  });

  it('leaves out rules on flow/global context and notes them', () => {
    const translation = translateChangeRules([
      { t: 'set', p: 'count', pt: 'flow', to: '1', tot: 'num' },
      { t: 'set', p: 'who', pt: 'msg', to: 'user', tot: 'global' },
    ]);
    expect(translation.notes).toEqual([
      'rule 1 (set msg.count): writes to flow.count; Hookflow has no flow context, rule left out',
      'rule 2 (set msg.who): reads global.user; Hookflow has no global context, so it is null',
    ]);
  });

  it('notes array positions and unknown rule types', () => {
    const translation = translateChangeRules([
      { t: 'set', p: 'payload.items[0].sku', pt: 'msg', to: 'x', tot: 'str' },
      { t: 'shuffle', p: 'a', pt: 'msg' },
    ]);
    expect(translation.notes).toHaveLength(2);
    expect(translation.notes[0]).toMatch(/array positions/);
    expect(translation.notes[1]).toMatch(/unknown rule type "shuffle"/);
  });
});
