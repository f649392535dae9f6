import jsonata from 'jsonata';
import { mapSplitOut } from './map-flow-control';
import { jsonTemplateCode } from './n8n-json-template';
import { MappingContext } from './n8n-mapping';
import type { N8nNode } from './n8n-workflow';

function context(parameters: Record<string, unknown> = {}): MappingContext {
  const node: N8nNode = {
    index: 0,
    id: 'n',
    name: 'Node',
    type: 'n8n-nodes-base.splitOut',
    typeVersion: 1,
    parameters,
    credentials: {},
    disabled: false,
    retryOnFail: false,
  };
  return new MappingContext(node, 'node', () => undefined);
}

const message = { id: 'pi_1', amount: 125, tags: ['a', 'b'], customer: { name: 'Ada' } };

describe('n8n JSON templates', () => {
  it('gives what n8n gets by rendering the blocks and parsing the text', async () => {
    const ctx = context();
    const code = jsonTemplateCode(
      ctx,
      '={\n "id": "{{ $json.id }}", "amount": {{ $json.amount }}, "label": "Pay {{ $json.id }}!",\n' +
        ' "tags": {{ $json.tags }}, "nested": { "who": "{{ $json.customer.name }}" }, "n": "{{ $json.amount }}" }',
    );
    expect(ctx.approximated).toBe(false);
    expect(await jsonata(code).evaluate(message)).toEqual({
      id: 'pi_1',
      amount: 125,
      label: 'Pay pi_1!',
      tags: ['a', 'b'],
      nested: { who: 'Ada' },
      n: '125',
    });
  });

  it('reads {{ JSON.stringify(x) }} in place of a value as x, as n8n gets it back', async () => {
    // n8n renders JSON.stringify("say \"hi\"") as "say \"hi\"" and parses the text back.
    const ctx = context();
    const code = jsonTemplateCode(
      ctx,
      '={ "prompt": {{ JSON.stringify($json.prompt) }}, "tags": {{ JSON.stringify($json.tags) }},' +
        ' "first": {{ JSON.stringify($json.clips?.[0]?.url ?? null) }} }',
    );
    expect(ctx.approximated).toBe(false);
    const input = { prompt: 'say "hi"', tags: ['a'], clips: [] };
    const rendered = `{ "prompt": ${JSON.stringify(input.prompt)}, "tags": ${JSON.stringify(input.tags)}, "first": ${JSON.stringify(null)} }`;
    expect(await jsonata(code).evaluate(input)).toEqual(JSON.parse(rendered));
    // JSON.stringify(undefined) leaves no value: n8n's text does not parse, the node fails.
    await expect(jsonata(code).evaluate({ tags: [] })).rejects.toMatchObject({
      message: expect.stringContaining('JSON.stringify gave undefined'),
    });
  });

  it('takes plain JSON and a lone block as they are, and flags JSON that cannot parse', async () => {
    expect(await jsonata(jsonTemplateCode(context(), '{"a": [1, true]}')).evaluate({})).toEqual({
      a: [1, true],
    });
    expect(
      await jsonata(jsonTemplateCode(context(), '={{ $json.customer }}')).evaluate(message),
    ).toEqual({
      name: 'Ada',
    });
    const broken = context();
    jsonTemplateCode(broken, '={ "a": {{ $json.id }');
    expect(broken.notes).toEqual([expect.stringContaining('does not give valid JSON')]);
  });
});

describe('Split Out items', () => {
  const itemsOf = async (parameters: Record<string, unknown>, input: unknown) => {
    const mapped = mapSplitOut(context(parameters));
    const items = mapped?.nodes[0].params.items as string;
    const value: unknown = await jsonata(items).evaluate(input);
    // JSONata marks its arrays (sequence flags); compare plain JSON.
    const plain: unknown = JSON.parse(JSON.stringify(value));
    return Array.isArray(plain) ? plain : [plain];
  };

  it('uses object elements as the item and puts other values under the field name', async () => {
    const input = { list: [{ sku: 'a' }, 'plain'], keep: 1 };
    expect(await itemsOf({ fieldToSplitOut: 'list' }, input)).toEqual([
      { sku: 'a' },
      { list: 'plain' },
    ]);
    expect(
      await itemsOf({ fieldToSplitOut: 'list', options: { destinationFieldName: 'entry' } }, input),
    ).toEqual([{ entry: { sku: 'a' } }, { entry: 'plain' }]);
  });

  it('merges the other fields in when asked', async () => {
    const input = { list: [{ sku: 'a' }, { sku: 'b' }], keep: 1, drop: 2 };
    expect(await itemsOf({ fieldToSplitOut: 'list', include: 'allOtherFields' }, input)).toEqual([
      { keep: 1, drop: 2, sku: 'a' },
      { keep: 1, drop: 2, sku: 'b' },
    ]);
    expect(
      await itemsOf(
        { fieldToSplitOut: 'list', include: 'selectedOtherFields', fieldsToInclude: 'keep' },
        input,
      ),
    ).toEqual([
      { sku: 'a', keep: 1 },
      { sku: 'b', keep: 1 },
    ]);
  });
});
