import { ExpressionCache, type JsonValue } from '@hookflow/engine';
import { translateSwitchRules, type SwitchSource } from './switch-rules';

const cache = new ExpressionCache();
const scope = { trigger: {}, nodes: {}, execution: {} };

/** Which rules match `msg` (1-based), as Node-RED's switch with "checking all rules" says. */
async function matching(source: SwitchSource, msg: JsonValue): Promise<number[]> {
  const { conditions } = translateSwitchRules(source);
  const hits: number[] = [];
  for (const [index, condition] of conditions.entries()) {
    if ((await cache.jsonata(condition).evaluate(msg, scope)) === true) hits.push(index + 1);
  }
  return hits;
}

const on = (payload: JsonValue): JsonValue => ({ payload, topic: 't' });

// Expected verdicts are JavaScript's (Node-RED's switch uses ==, <, indexOf, RegExp.test).
describe('translateSwitchRules', () => {
  it('compares loosely like ==: "5" equals 5, and neq is its negation even when missing', async () => {
    const source: SwitchSource = {
      property: 'payload.n',
      rules: [
        { t: 'eq', v: '5', vt: 'num' },
        { t: 'eq', v: '5', vt: 'str' },
        { t: 'neq', v: '5', vt: 'num' },
      ],
    };
    expect(await matching(source, on({ n: 5 }))).toEqual([1, 2]);
    expect(await matching(source, on({ n: '5' }))).toEqual([1, 2]);
    expect(await matching(source, on({ n: 6 }))).toEqual([3]);
    expect(await matching(source, on({}))).toEqual([3]);
  });

  it('orders numbers, numeric strings and text; between accepts either bound order', async () => {
    const source: SwitchSource = {
      property: 'payload.amount',
      rules: [
        { t: 'gt', v: '100', vt: 'num' },
        { t: 'lte', v: '100', vt: 'num' },
        { t: 'btwn', v: '200', vt: 'num', v2: '50', v2t: 'num' },
        { t: 'lt', v: 'm', vt: 'str' },
      ],
    };
    expect(await matching(source, on({ amount: 150 }))).toEqual([1, 3]);
    // "150" < "m" holds in JavaScript too: two strings compare as text.
    expect(await matching(source, on({ amount: '150' }))).toEqual([1, 3, 4]);
    expect(await matching(source, on({ amount: 20 }))).toEqual([2]);
    expect(await matching(source, on({ amount: 'abc' }))).toEqual([4]);
    expect(await matching(source, on({}))).toEqual([]);
  });

  it('tests contains, regex (with case), booleans, null and emptiness', async () => {
    const source: SwitchSource = {
      property: 'payload.x',
      rules: [
        { t: 'cont', v: 'lo', vt: 'str' },
        { t: 'regex', v: '^HEL+o$', vt: 'str', case: true },
        { t: 'true' },
        { t: 'null' },
        { t: 'nnull' },
        { t: 'empty' },
        { t: 'nempty' },
      ],
    };
    expect(await matching(source, on({ x: 'hello' }))).toEqual([1, 2, 5, 7]);
    expect(await matching(source, on({ x: true }))).toEqual([3, 5]);
    expect(await matching(source, on({}))).toEqual([4]);
    expect(await matching(source, on({ x: null }))).toEqual([4]);
    expect(await matching(source, on({ x: [] }))).toEqual([5, 6]);
    expect(await matching(source, on({ x: [1] }))).toEqual([5, 7]);
    expect(await matching(source, on({ x: {} }))).toEqual([5, 6]);
  });

  it('checks types and keys', async () => {
    const source: SwitchSource = {
      property: 'payload',
      rules: [
        { t: 'istype', v: 'array', vt: 'array' },
        { t: 'istype', v: 'object', vt: 'object' },
        { t: 'istype', v: 'string', vt: 'string' },
        { t: 'hask', v: 'id', vt: 'str' },
      ],
    };
    expect(await matching(source, on(['a']))).toEqual([1]);
    expect(await matching(source, on({ id: 1 }))).toEqual([2, 4]);
    expect(await matching(source, on('s'))).toEqual([3]);
  });

  it('makes otherwise mean "no rule before it matched"', async () => {
    const source: SwitchSource = {
      property: 'payload.country',
      rules: [{ t: 'eq', v: 'FR', vt: 'str' }, { t: 'eq', v: 'DE', vt: 'str' }, { t: 'else' }],
    };
    expect(await matching(source, on({ country: 'DE' }))).toEqual([2]);
    expect(await matching(source, on({ country: 'US' }))).toEqual([3]);
    expect(await matching(source, on({}))).toEqual([3]);
  });

  it('compares with msg and JSONata values and tests a JSONata property', async () => {
    const source: SwitchSource = {
      property: '$count(payload.items) > payload.limit',
      propertyType: 'jsonata',
      rules: [{ t: 'true' }, { t: 'jsonata_exp', v: 'payload.limit = 2', vt: 'jsonata' }],
    };
    expect(await matching(source, on({ items: [1, 2, 3], limit: 2 }))).toEqual([1, 2]);
    const byMsg: SwitchSource = {
      property: 'payload.a',
      rules: [{ t: 'eq', v: 'payload.b', vt: 'msg' }],
    };
    expect(await matching(byMsg, on({ a: 'x', b: 'x' }))).toEqual([1]);
  });

  it('notes what cannot be converted and never matches it', async () => {
    const translation = translateSwitchRules({
      property: 'payload',
      rules: [
        { t: 'eq', v: 'limit', vt: 'flow' },
        { t: 'head', v: '3', vt: 'num' },
        { t: 'istype', v: 'buffer', vt: 'buffer' },
      ],
    });
    expect(translation.notes).toEqual([
      'rule 1 (eq): reads flow.limit; Hookflow has no flow context, so it is null',
      'rule 2 (head): the "head" rule (message sequences) is not converted; it never matches',
      'rule 3 (istype): type "buffer" does not exist in Hookflow; the rule never matches',
    ]);
    expect(await matching({ property: 'payload', rules: [{ t: 'head', v: '3' }] }, on(1))).toEqual(
      [],
    );
  });
});
