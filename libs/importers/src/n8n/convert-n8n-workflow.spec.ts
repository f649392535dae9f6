import jsonata from 'jsonata';
import { ImportInputError } from '../import-report';
import { convertN8nWorkflow } from './convert-n8n-workflow';

type Params = Record<string, unknown>;
type Wire = [from: string, to: string, output?: number, input?: number];

const HOOK = {
  name: 'Hook',
  type: 'n8n-nodes-base.webhook',
  typeVersion: 2,
  parameters: { httpMethod: 'POST' },
};

function workflow(nodes: Params[], wires: Wire[]) {
  const connections: Record<
    string,
    { main: Array<Array<{ node: string; type: string; index: number }>> }
  > = {};
  for (const [from, to, output = 0, input = 0] of wires) {
    const main = (connections[from] ??= { main: [] }).main;
    while (main.length <= output) main.push([]);
    main[output].push({ node: to, type: 'main', index: input });
  }
  return { name: 'test', nodes, connections };
}

const node = (name: string, type: string, parameters: Params = {}, extra: Params = {}) => ({
  name,
  type: `n8n-nodes-base.${type}`,
  typeVersion: 1,
  parameters,
  ...extra,
});

function inputError(input: unknown): { message: string; path: string } {
  try {
    convertN8nWorkflow(input);
  } catch (error) {
    if (error instanceof ImportInputError) return { message: error.message, path: error.path };
    throw error;
  }
  throw new Error('no ImportInputError');
}

describe('convertN8nWorkflow', () => {
  it('rejects what is not an n8n workflow, pointing at the problem', () => {
    expect(inputError('text').path).toBe('');
    expect(inputError({ nodes: {} }).path).toBe('/nodes');
    expect(inputError({ nodes: [HOOK, { ...HOOK }] })).toEqual({
      message: 'two nodes are named "Hook"',
      path: '/nodes/1/name',
    });
    expect(inputError([{ nodes: [HOOK, { name: 'x' }] }]).path).toBe('/0/nodes/1/type');
    expect(inputError({ nodes: [HOOK], connections: { 'A/B': { main: [] } } }).path).toBe(
      '/connections/A~1B',
    );
    expect(inputError(workflow([node('Set', 'set')], [])).message).toContain(
      'no (enabled) trigger',
    );
  });

  it('imports the first workflow of an --all export and says which were left', () => {
    const { report } = convertN8nWorkflow([workflow([HOOK], []), { name: 'Second', nodes: [] }]);
    expect(report.warnings[0]).toBe(
      'the export holds 2 workflows; only the first was imported (post the others one at a time): "Second"',
    );
  });

  it('wires through No-Op and disabled nodes, and reads $() of them as their input', () => {
    const { document, report } = convertN8nWorkflow(
      workflow(
        [
          HOOK,
          node('Nothing', 'noOp'),
          node('Off', 'set', {}, { disabled: true }),
          node('Use', 'set', {
            values: { string: [{ name: 'seen', value: "={{ $('Off').item.json.body.x }}" }] },
          }),
        ],
        [
          ['Hook', 'Nothing'],
          ['Nothing', 'Off'],
          ['Off', 'Use'],
        ],
      ),
    );
    expect(document.edges).toEqual([
      { from: 'hook', to: 'hook_item' },
      { from: 'hook_item', to: 'use' },
    ]);
    expect(document.nodes.find((item) => item.id === 'use')?.params).toEqual({
      fields: [{ name: 'seen', expression: '$string($nodes.hook_item.body.x)' }],
      keepOtherFields: true,
    });
    expect(report.nodes.map((item) => [item.outcome, item.nodeIds])).toEqual([
      ['approximated', ['hook', 'hook_item']],
      ['converted', []],
      ['converted', []],
      ['converted', ['use']],
    ]);
  });

  it('maps Switch outputs to named ports, the fallback to default', () => {
    const condition = (value: string) => ({
      conditions: [
        {
          leftValue: '={{ $json.c }}',
          rightValue: value,
          operator: { type: 'string', operation: 'equals' },
        },
      ],
      combinator: 'and',
    });
    const sw = node(
      'Route',
      'switch',
      {
        rules: {
          values: [
            { conditions: condition('a'), renameOutput: true, outputKey: 'Team A' },
            { conditions: condition('b'), renameOutput: true, outputKey: 'Team A' },
            { conditions: condition('c') },
          ],
        },
        options: { fallbackOutput: 'extra', allMatchingOutputs: true },
      },
      { typeVersion: 3.2 },
    );
    const targets = ['A', 'B', 'C', 'Other'].map((name) => node(name, 'set', { values: {} }));
    const { document } = convertN8nWorkflow(
      workflow(
        [HOOK, sw, ...targets],
        [
          ['Hook', 'Route'],
          ['Route', 'A', 0],
          ['Route', 'B', 1],
          ['Route', 'C', 2],
          ['Route', 'Other', 3],
        ],
      ),
    );
    const route = document.nodes.find((item) => item.id === 'route');
    expect(route?.params).toMatchObject({
      mode: 'all',
      rules: [{ port: 'Team_A' }, { port: 'Team_A_2' }, { port: 'output2' }],
    });
    expect(document.edges.filter((edge) => edge.from === 'route')).toEqual([
      { from: 'route', to: 'a', port: 'Team_A' },
      { from: 'route', to: 'b', port: 'Team_A_2' },
      { from: 'route', to: 'c', port: 'output2' },
      { from: 'route', to: 'other', port: 'default' },
    ]);
  });

  it('picks the chosen branch of a Merge by the input each sender is wired to', async () => {
    const { document } = convertN8nWorkflow(
      workflow(
        [
          HOOK,
          node('Left', 'set', { values: {} }),
          node('Right', 'set', { values: {} }),
          node('Join', 'merge', { mode: 'chooseBranch', output: 'input2' }, { typeVersion: 2 }),
        ],
        [
          ['Hook', 'Left'],
          ['Hook', 'Right'],
          ['Left', 'Join', 0, 0],
          ['Right', 'Join', 0, 1],
        ],
      ),
    );
    const join = document.nodes.find((item) => item.id === 'join');
    expect(join?.params).toEqual({ combine: '$.right' });
    expect(await jsonata('$.right').evaluate({ left: 1, right: 2 })).toBe(2);
  });

  it('carries error outputs and retries onto the node doing the work', () => {
    const http = node(
      'Call',
      'httpRequest',
      { url: '=https://api.example.test/{{ $json.body.id }}', options: { timeout: 5000 } },
      {
        typeVersion: 4.2,
        onError: 'continueErrorOutput',
        retryOnFail: true,
        maxTries: 4,
        waitBetweenTries: 2000,
      },
    );
    const { document } = convertN8nWorkflow(
      workflow(
        [HOOK, http, node('Ok', 'noOp'), node('Failed', 'set', { values: {} })],
        [
          ['Hook', 'Call'],
          ['Call', 'Failed', 1],
        ],
      ),
    );
    expect(document.nodes.find((item) => item.id === 'call')).toMatchObject({
      type: 'http.request',
      params: { method: 'GET', url: 'https://api.example.test/{{body.id}}', timeoutMs: 5000 },
      onError: 'route',
      retry: { maxAttempts: 4, initialDelayMs: 2000, factor: 1 },
    });
    expect(document.edges).toContainEqual({ from: 'call', to: 'failed', port: 'error' });
    expect(document.edges).toContainEqual({ from: 'call', to: 'call_item' });
  });

  it('translates IF v1 conditions and Set v3.0 selections', async () => {
    const legacyIf = node('Check', 'if', {
      conditions: {
        number: [{ value1: '={{ $json.body.total }}', operation: 'larger', value2: 10 }],
        string: [{ value1: '={{ $json.body.tier }}', operation: 'contains', value2: 'gold' }],
      },
      combineOperation: 'any',
    });
    const pick = node(
      'Pick',
      'set',
      {
        include: 'selected',
        includeFields: 'id, tier',
        fields: {
          values: [{ name: 'total', type: 'numberValue', numberValue: '={{ $json.amount }}' }],
        },
      },
      { typeVersion: 3.2 },
    );
    const { document } = convertN8nWorkflow(
      workflow(
        [HOOK, legacyIf, pick],
        [
          ['Hook', 'Check'],
          ['Check', 'Pick'],
        ],
      ),
    );
    const check = document.nodes.find((item) => item.id === 'check')?.params.condition as string;
    expect(await jsonata(check).evaluate({ body: { total: 5, tier: 'golden' } })).toBe(true);
    expect(await jsonata(check).evaluate({ body: { total: 5, tier: 'silver' } })).toBe(false);
    const set = document.nodes.find((item) => item.id === 'pick');
    expect(set?.type).toBe('transform');
    const expression = set?.params.expression as string;
    expect(
      await jsonata(expression).evaluate({ id: 1, tier: 't', secret: 's', amount: '12' }),
    ).toEqual({
      id: 1,
      tier: 't',
      total: 12,
    });
  });

  it('keeps code nodes, extra triggers and unknown nodes as unsupported, with the original', () => {
    const { document, report } = convertN8nWorkflow(
      workflow(
        [
          node('Cron', 'scheduleTrigger', { rule: {} }),
          HOOK,
          node('Code', 'code', { jsCode: 'return items;' }, { typeVersion: 2 }),
          node('Sheet', 'googleSheets', { operation: 'append' }),
        ],
        [
          ['Hook', 'Code'],
          ['Code', 'Sheet'],
        ],
      ),
    );
    expect(report.nodes.map((item) => [item.sourceName, item.outcome])).toEqual([
      ['Cron', 'unsupported'],
      ['Hook', 'approximated'],
      ['Code', 'unsupported'],
      ['Sheet', 'unsupported'],
    ]);
    expect(report.summary).toEqual({ converted: 0, approximated: 1, unsupported: 3 });
    expect(document.nodes.find((item) => item.id === 'code')?.params).toMatchObject({
      source: 'n8n',
      sourceType: 'n8n-nodes-base.code',
      code: 'return items;',
    });
    expect(report.nodes[3].notes[0]).toContain(
      'no Hookflow node does what n8n-nodes-base.googleSheets does',
    );
  });
});

describe('convertN8nWorkflow: notes, GET webhooks, text answers, webhook auth', () => {
  const getHook = {
    name: 'Hook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    parameters: { httpMethod: 'GET', responseMode: 'responseNode', authentication: 'headerAuth' },
  };
  const respond = node('Answer', 'respondToWebhook', {
    respondWith: 'text',
    responseBody: '=Hi {{ $json.query.name }}',
  });
  const sticky = node('Sticky Note', 'stickyNote', { content: '## What this does' });
  const { document, report } = convertN8nWorkflow(
    workflow([getHook, respond, sticky], [['Hook', 'Answer']]),
  );

  it('drops a sticky note as a converted note', () => {
    expect(report.nodes.find((item) => item.sourceName === 'Sticky Note')).toMatchObject({
      outcome: 'converted',
      nodeIds: [],
      notes: ['dropped: a sticky note on the canvas (note)'],
    });
    expect(document.nodes.some((item) => item.type === 'unsupported')).toBe(false);
  });

  it("gives a GET webhook n8n's item: the query in query, an empty body", async () => {
    const shape = document.nodes.find((item) => item.id === 'hook_item');
    const item: unknown = await jsonata(String(shape?.params.expression)).evaluate(
      { name: 'Ada' },
      { trigger: { headers: {}, query: { name: 'Ada' } } },
    );
    expect(item).toEqual({ headers: {}, params: {}, query: { name: 'Ada' }, body: {} });
  });

  it('answers a text response as text/html, as n8n does', () => {
    expect(document.nodes.find((item) => item.id === 'answer')?.params).toMatchObject({
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
    expect(report.nodes.find((item) => item.sourceName === 'Answer')?.outcome).toBe('converted');
  });

  it('checks header auth on the trigger and asks for its credential', () => {
    expect(document.nodes[0].params.auth).toEqual({
      scheme: 'header-token',
      credential: 'hook-http-header',
    });
    expect(report.credentials.map((item) => item.name)).toEqual(['hook-http-header']);
  });
});
