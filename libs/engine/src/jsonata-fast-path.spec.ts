import jsonata from 'jsonata';
import { compileFastPath, FALLBACK, type FastBindings } from './jsonata-fast-path';
import { CompiledJsonata, DEFAULT_EXPRESSION_LIMITS, ExpressionError } from './expressions';
import { toJson, type JsonValue } from './json';

const bindings: FastBindings = {
  trigger: { method: 'POST', body: { id: 'evt_1', amount: 2500, tags: ['a', 'b'] }, query: {} },
  nodes: { map: { cents: 2500, type: 'payment.succeeded' }, list: [1, 2] },
  execution: { id: 'exec-1', attempt: 1 },
};

/** What JSONata itself answers: its value as JSON, or its error code. */
async function byJsonata(source: string, input: JsonValue): Promise<unknown> {
  try {
    return { value: toJson(await jsonata(source).evaluate(input, bindings)) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

function fast(source: string, maxChars = 1_000_000) {
  const evaluate = compileFastPath(jsonata(source).ast(), maxChars);
  if (!evaluate) throw new Error(`no fast path for ${source}`);
  return evaluate;
}

/** Inputs that reach every branch: scalars, nesting, arrays where paths go, JSONata's flags. */
const INPUTS: JsonValue[] = [
  { event: 'payment.succeeded', amount: 2500, customer_id: 'cus_1', ok: true },
  { event: '', amount: 0, customer_id: null, ok: false },
  { event: 'refund', amount: -12.5, nested: { deep: { value: 'x' } }, list: [1, 2, 3] },
  { amount: '2500', event: 7, nested: [{ deep: { value: 'y' } }, { deep: { value: 'z' } }] },
  { nested: { deep: [] }, list: [], ok: 'yes', amount: 1e308 },
  { nested: null, event: ['a'], amount: [5], ok: [true] },
  { constructor: 'own', toString: 1, hasOwnProperty: 'x', amount: 3 },
  { tupleStream: true, event: 'flagged', amount: 4 },
  { outerWrapper: true, event: 'wrapped', amount: 4 },
  { nested: { deep: { value: { object: 1 } } }, event: { a: 1 }, amount: null },
  'a string',
  42,
  null,
  true,
  [{ event: 'in an array', amount: 1 }],
  [],
];

/** Expressions the fast path takes, with the operators and shapes it claims. */
const EXPRESSIONS = [
  "{ 'type': event, 'cents': amount, 'customer': customer_id }",
  'amount > 1000',
  'amount >= 0 and ok',
  'amount < 0 or event = "refund"',
  'event != "refund"',
  'nested.deep.value',
  'nested.deep',
  '$.amount * 2',
  'amount + 1',
  'amount - 1',
  'amount / 0',
  'amount % 7',
  '-amount',
  'event & "-" & customer_id',
  'event & amount',
  'ok ? "yes" : "no"',
  'ok ? amount',
  'list',
  'missing.path',
  '$trigger.body.id',
  '$trigger.body.tags',
  '$trigger.body',
  '$nodes.map.cents > 1000',
  '$nodes.list',
  '$execution.attempt + 1',
  '$',
  "{ 'all': $, 'id': $trigger.body.id, 'inner': { 'v': nested.deep.value } }",
  'constructor',
  'toString',
  'hasOwnProperty',
  'amount = 3',
  'event = nested',
  'amount > "1000"',
  'event < "z"',
  'null',
  'true and false',
  '"x" = "x"',
  '1.5 * 4',
];

describe('JSONata fast path', () => {
  it.each(EXPRESSIONS)('answers as JSONata does, or falls back: %s', async (source) => {
    const evaluate = fast(source);
    let answered = 0;
    for (const input of INPUTS) {
      const result = evaluate(input, bindings);
      if (result === FALLBACK) continue;
      answered += 1;
      expect({ source, input, ...{ value: toJson(result) } }).toEqual({
        source,
        input,
        ...((await byJsonata(source, input)) as object),
      });
    }
    // Each shape is answered directly for at least one ordinary input: a path that always fell
    // back would pass the comparison above and speed nothing up.
    expect(answered).toBeGreaterThan(0);
  });

  it('agrees with JSONata on 400 generated expressions', async () => {
    // A small seeded generator (mulberry32), so a failure names an expression that reproduces.
    let seed = 0x5eed;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const atoms = [
      'amount',
      'event',
      'ok',
      'nested.deep',
      'nested.deep.value',
      'list',
      '$',
      '$trigger.body.amount',
      '$nodes.map.type',
      'customer_id',
      '0',
      '1000',
      '"refund"',
      '""',
      'true',
      'false',
      'null',
      '-2.5',
    ];
    const operators = ['+', '-', '*', '/', '%', '&', '=', '!=', '<', '<=', '>', '>=', 'and', 'or'];
    const generate = (depth: number): string => {
      const roll = random();
      if (depth === 0 || roll < 0.3) return pick(atoms);
      if (roll < 0.8) return `(${generate(depth - 1)} ${pick(operators)} ${generate(depth - 1)})`;
      if (roll < 0.9)
        return `(${generate(depth - 1)} ? ${generate(depth - 1)} : ${generate(depth - 1)})`;
      return `{ 'a': ${generate(depth - 1)}, 'b': ${generate(depth - 1)} }`;
    };
    let answered = 0;
    for (let count = 0; count < 400; count += 1) {
      const source = generate(3);
      const evaluate = compileFastPath(jsonata(source).ast(), 1_000_000);
      if (!evaluate) continue;
      for (const input of INPUTS) {
        const result = evaluate(input, bindings);
        if (result === FALLBACK) continue;
        answered += 1;
        expect({ source, input, value: toJson(result) }).toEqual({
          source,
          input,
          ...((await byJsonata(source, input)) as object),
        });
      }
    }
    expect(answered).toBeGreaterThan(1000);
  });

  it('takes the W1 mapping and filter without JSONata', () => {
    const input = { event: 'payment.succeeded', amount: 2500, customer_id: 'cus_1' };
    const mapped = fast("{ 'type': event, 'cents': amount, 'customer': customer_id }")(
      input,
      bindings,
    );
    expect(mapped).toEqual({ type: 'payment.succeeded', cents: 2500, customer: 'cus_1' });
    expect(fast('cents > 1000')(mapped as JsonValue, bindings)).toBe(true);
  });

  it('falls back where JSONata maps over arrays, mixes types or fails', () => {
    expect(fast('nested.deep.value')({ nested: [{ deep: { value: 1 } }] }, bindings)).toBe(
      FALLBACK,
    );
    expect(fast('amount > 1000')({ amount: '2500' }, bindings)).toBe(FALLBACK);
    expect(fast('amount * 2')({ amount: 'x' }, bindings)).toBe(FALLBACK);
    expect(fast('event & amount')({ event: 'e', amount: 1 }, bindings)).toBe(FALLBACK);
    expect(fast('amount * 10')({ amount: 1e308 }, bindings)).toBe(FALLBACK);
    expect(fast('event')([{ event: 'a' }], bindings)).toBe(FALLBACK);
    expect(fast('"ab" & x', 2)({ x: 'c' }, bindings)).toBe(FALLBACK);
  });

  it('leaves everything else to JSONata', () => {
    for (const source of [
      'items[0]',
      'items[price > 1]',
      '$sum(items.price)',
      '$x := 1',
      '**.id',
      '*',
      '[1, 2]',
      "{ 'a': 1, 'a': 2 }",
      'items^(price)',
      '$$.a',
      '$unknown.a',
      '"a" in ["a"]',
      '[1..3]',
      'items{ name: price }',
      '/ab/',
      '(a; b)',
      'function($x) { $x }',
      'a.$string()',
      'a.(b)',
      'a#$i.b',
      'a@$x.b',
    ]) {
      expect({ source, fast: compileFastPath(jsonata(source).ast(), 100) }).toEqual({
        source,
        fast: undefined,
      });
    }
  });

  it('gives JSONata’s error when it falls back, through the compiled expression', async () => {
    const compiled = new CompiledJsonata('amount > 1000', DEFAULT_EXPRESSION_LIMITS);
    const scope = { trigger: {}, nodes: {}, execution: {} };
    await expect(compiled.evaluate({ amount: 2500 }, scope)).resolves.toBe(true);
    await expect(compiled.evaluate({ amount: 'many' }, scope)).rejects.toThrow(ExpressionError);
    await expect(compiled.evaluate({ amount: 'many' }, scope)).rejects.toMatchObject({
      code: 'expression_failed',
      message: expect.stringContaining('must be of the same data type') as unknown,
    });
  });
});
