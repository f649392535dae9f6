import jsonata from 'jsonata';
import Handlebars from 'handlebars';
import { splitTemplate, toJsonata, toTemplate, translateJs } from './n8n-expression';

const message = {
  name: 'Ada Lovelace',
  email: ' ADA@Example.COM ',
  amount: 4250,
  tax: 0.5,
  zero: 0,
  empty: '',
  flag: true,
  tags: ['vip', 'eu'],
  items: [
    { sku: 'a', qty: 2 },
    { sku: 'b', qty: 3 },
  ],
  one: [{ sku: 'c', qty: 1, tags: ['x'] }],
  nested: [[1, 2], [3]],
  none: [],
  customer: { country: 'DE', 'first name': 'Ada' },
  nothing: null,
  count: '7',
};
const previous = { total: 99, label: 'prev' };
const lookup = (name: string) => (name === 'Prev Node' ? 'prev_node' : undefined);

/** What n8n computes: the same JavaScript, run with `$json` and `$('Prev Node')` bound. */
function javascript(js: string): unknown {
  const $ = (name: string) => {
    if (name !== 'Prev Node') throw new Error(`no node ${name}`);
    return { item: { json: previous }, first: () => ({ json: previous }) };
  };
  const run = new Function('$json', '$input', '$', '$node', `return (${js});`) as (
    ...args: unknown[]
  ) => unknown;
  const result = run(message, { item: { json: message } }, $, { 'Prev Node': { json: previous } });
  // n8n keeps results as JSON: an undefined inside an array is stored as null.
  return result === undefined ? undefined : (JSON.parse(JSON.stringify(result)) as unknown);
}

async function hookflow(js: string): Promise<unknown> {
  const translated = translateJs(js, lookup);
  if ('problem' in translated) throw new Error(translated.problem);
  const result: unknown = await jsonata(translated.code).evaluate(message, {
    nodes: { prev_node: previous },
  });
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

describe('n8n expression translation', () => {
  it.each([
    ['$json.name'],
    ['$json.customer.country'],
    ["$json['customer']['first name']"],
    ['$json.items[1].sku'],
    ['$input.item.json.amount'],
    ["$('Prev Node').item.json.total"],
    ["$('Prev Node').first().json.label"],
    ['$node["Prev Node"].json.total'],
    ['$json.missing?.deeper'],
    ['$json.amount / 100'],
    ['$json.amount * 2 - 1'],
    ['$json.amount % 7'],
    ['-$json.amount'],
    ['$json.amount + $json.tax'],
    ["'Order ' + $json.amount"],
    ['$json.name + $json.amount'],
    ['$json.count + 1'],
    ['1 + 2 + "x"'],
    ['`Hi ${$json.name}, ${$json.amount / 100} EUR`'],
    ['$json.amount > 1000'],
    ['$json.amount >= 4250 && $json.flag === true'],
    ["$json.customer.country === 'DE' || $json.customer.country === 'FR'"],
    ["$json.name !== 'x'"],
    ["$json.empty || 'fallback'"],
    ["$json.zero || 'fallback'"],
    ["$json.name || 'fallback'"],
    ["$json.name && 'yes'"],
    ["$json.nothing ?? 'default'"],
    ["$json.zero ?? 'default'"],
    ['!$json.flag'],
    ['!$json.empty'],
    ['!$json.tags'],
    ["$json.flag ? 'on' : 'off'"],
    ["$json.zero ? 'on' : 'off'"],
    ['$json.nothing == null'],
    ['$json.missing != null'],
    ['$json.name.toUpperCase()'],
    ['$json.email.toLowerCase().trim()'],
    ["$json.name.includes('Love')"],
    ["$json.tags.includes('eu')"],
    ["$json.tags.includes('us')"],
    ["$json.name.startsWith('Ada')"],
    ["$json.name.endsWith('lace')"],
    ["$json.name.endsWith('')"],
    ["$json.name.split(' ')"],
    ["$json.tags.join(', ')"],
    ['$json.tags.join()'],
    ["$json.name.replace('a', 'o')"],
    ["$json.name.replaceAll('a', 'o')"],
    ['$json.name.substring(0, 3)'],
    ['$json.name.substring(4)'],
    ['$json.name.length'],
    ['$json.tags.length'],
    ['($json.amount / 100).toString()'],
    ['String($json.amount)'],
    ['Math.round(2.5)'],
    ['Math.round($json.tax)'],
    ['Math.floor($json.amount / 100)'],
    ['Math.max($json.amount, 5000, 1)'],
    ['Math.abs(-3)'],
    ["({ id: $json.name, total: $json.amount / 100, tags: [$json.flag, 'x'] })"],
    ['"a\\"b" + \'c\\n\''],
    ['$json.items.map(item => item.qty)'],
    ['$json.items.map((item, i) => `${i}:${item.sku}`)'],
    ['$json.one.map(item => item.tags)'],
    ['$json.one.map(item => item.missing)'],
    ['$json.nested.map(pair => pair)'],
    ['$json.none.map(item => item.qty)'],
    ['$json.items.filter(item => item.qty > 2)'],
    ['$json.nested.filter(pair => pair.length > 1)'],
    ['$json.items.filter(item => item.qty > 9)'],
    ["$json.items.find(item => item.sku === 'b')"],
    ["$json.items.find(item => item.sku === 'z')"],
    ["$json.items.find(item => item.sku === 'b')?.qty"],
    ['$json.items.map(item => item.qty * 2).join(", ")'],
    ['$json.customer?.country'],
    ["$('Prev Node').item.json.total + $json.items.map(item => item.qty).length"],
  ])('%s gives what JavaScript gives', async (js) => {
    expect(await hookflow(js)).toEqual(javascript(js));
  });

  it.each([
    ['$json.items.reduce((sum, item) => sum + item.qty, 0)', 'reduce'],
    ['$json.items.map(item => { return item.qty; })', '{ } body'],
    ['$now.toISO()', '$now has no Hookflow equivalent'],
    ['$json.count == 7', 'converts between types'],
    ['$json.amount.toFixed(2)', 'toFixed'],
    ["$('Other').item.json.x", 'not in the workflow'],
    ["$('Prev Node').all()", 'calls $'],
    ['JSON.stringify($json)', 'stringify'],
    ['typeof $json.x', '"typeof" is not supported'],
    ['$json.name.match(/a/)', 'regular expression'],
    ['+$json.count', 'unary +'],
    ['$json.tags.toString()', 'toString'],
  ])('flags %s instead of guessing', (js, reason) => {
    const translated = translateJs(js, lookup);
    expect(translated).toEqual({ problem: expect.stringContaining(reason) });
  });

  it('splits text and blocks, braces inside a block included', () => {
    expect(splitTemplate('Hi {{ $json.name }}! {{ {a: 1}.a }} end')).toEqual([
      { text: 'Hi ' },
      { js: '$json.name' },
      { text: '! ' },
      { js: '{a: 1}.a' },
      { text: ' end' },
    ]);
    expect(splitTemplate('no blocks {{ unclosed')).toEqual([{ text: 'no blocks {{ unclosed' }]);
  });

  it('keeps the type of a lone block and renders blocks inside text', async () => {
    const lone = toJsonata('={{ $json.amount / 100 }}', lookup);
    expect(await jsonata(lone.jsonata).evaluate(message)).toBe(42.5);
    const text = toJsonata('=Order of {{ $json.amount / 100 }} EUR for {{ $json.tags }}', lookup);
    expect(text.type).toBe('string');
    expect(await jsonata(text.jsonata).evaluate(message)).toBe(
      'Order of 42.5 EUR for ["vip","eu"]',
    );
    expect(toJsonata(42, lookup)).toEqual({ jsonata: '42', type: 'number', problems: [] });
    expect(await jsonata(toJsonata({ a: [1, 'x'] }, lookup).jsonata).evaluate({})).toEqual({
      a: [1, 'x'],
    });
  });

  it('leaves an untranslatable block in place: reported, and failing loudly when run', async () => {
    const value = toJsonata('=Total: {{ $json.items.reduce((s, i) => s + i.qty, 0) }}', lookup);
    expect(value.problems).toEqual([
      expect.stringContaining('{{ $json.items.reduce((s, i) => s + i.qty, 0) }} left untranslated'),
    ]);
    await expect(jsonata(value.jsonata).evaluate(message)).rejects.toMatchObject({
      message: expect.stringContaining('untranslated n8n expression: $json.items.reduce('),
    });
  });

  it('writes Handlebars templates from field paths and flags computed blocks', () => {
    const render = (template: string) =>
      Handlebars.compile(template, { noEscape: true })(message, {
        data: { nodes: { prev_node: previous } },
      });
    const plain = toTemplate(
      "=New order from {{ $json.customer['first name'] }} ({{ $json.items[0].sku }}), prev {{ $('Prev Node').item.json.total }}",
      lookup,
    );
    expect(plain.problems).toEqual([]);
    expect(render(plain.template)).toBe('New order from Ada (a), prev 99');
    expect(render(toTemplate('literal {{ braces }} stay', lookup).template)).toBe(
      'literal {{ braces }} stay',
    );
    const computed = toTemplate('=Total {{ $json.amount / 100 }}', lookup);
    expect(computed.problems).toEqual([expect.stringContaining('field paths only')]);
    expect(render(computed.template)).toBe('Total {{ $json.amount / 100 }}');
    expect(render(toTemplate("={{ 'fixed' }} text", lookup).template)).toBe('fixed text');
  });
});
