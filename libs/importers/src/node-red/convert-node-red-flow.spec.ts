import { ExpressionCache, type FlowNode, type JsonValue } from '@hookflow/engine';
import { ImportInputError } from '../import-report';
import { convertNodeRedFlow, convertNodeRedFlows } from './convert-node-red-flow';

const cache = new ExpressionCache();
const scope = { trigger: {}, nodes: {}, execution: { id: 'exec-1' } };

const TAB = { id: 'tab1', type: 'tab', label: 'Main' };
const httpIn = (wires: string[][] = [['n2']]) => ({
  id: 'n1',
  type: 'http in',
  z: 'tab1',
  name: 'Hook',
  url: '/in',
  method: 'post',
  x: 100,
  y: 100,
  wires,
});

function node(id: string, type: string, extra: Record<string, unknown> = {}) {
  return { id, type, z: 'tab1', x: 200, y: 100, wires: [], ...extra };
}

function made(nodes: readonly FlowNode[], id: string): FlowNode {
  const found = nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

function evaluate(source: unknown, input: JsonValue): Promise<JsonValue> {
  return cache.jsonata(String(source)).evaluate(input, scope);
}

describe('convertNodeRedFlow: reading the export', () => {
  it.each([
    ['an object', { nodes: [] }, ''],
    ['an item without an id', [{ type: 'tab' }], '/0/id'],
    ['bad wires', [{ id: 'a', type: 'debug', wires: 'b' }], '/0/wires'],
    ['only tabs and config nodes', [TAB, { id: 'c', type: 'tls-config' }], ''],
  ])('refuses %s with the path of the problem', (_label, input, path) => {
    let thrown: unknown;
    try {
      convertNodeRedFlow(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImportInputError);
    expect((thrown as ImportInputError).path).toBe(path);
  });

  it('accepts the admin API shape { flows: [...] }', () => {
    const { document } = convertNodeRedFlow({ rev: 'x', flows: [TAB, httpIn([])] });
    expect(document.nodes.map((item) => item.type)).toEqual(['trigger.webhook', 'transform']);
  });

  it('imports every tab as a flow, the one with the http in first; subflow instances by name', () => {
    const flows = convertNodeRedFlows([
      { id: 'other', type: 'tab', label: 'Dashboard' },
      TAB,
      { ...node('d1', 'debug'), z: 'other' },
      { id: 'sf', type: 'subflow', name: 'Helpers' },
      { ...node('s1', 'change'), z: 'sf' },
      httpIn([['n2']]),
      node('n2', 'subflow:sf'),
      { id: 'broker', type: 'mqtt-broker', broker: 'localhost' },
    ]);
    expect(flows.map((flow) => flow.document.name)).toEqual(['Main', 'Dashboard']);
    const [{ report }] = flows;
    expect(report.warnings).toEqual([
      'subflow "Helpers" is not expanded: Hookflow has no subflows; its instances are kept as unsupported nodes',
      'config nodes (mqtt-broker) were not imported: Hookflow keeps servers and secrets in credentials',
    ]);
    expect(report.nodes.map((item) => [item.sourceType, item.outcome, item.notes[0]])).toEqual([
      [
        'http in',
        'converted',
        'Node-RED served it at POST /in; Hookflow gives the trigger its own URL',
      ],
      [
        'subflow:sf',
        'unsupported',
        'an instance of the subflow "Helpers"; Hookflow has no subflows: rebuild its nodes in this flow',
      ],
    ]);
    expect(flows[1].report.nodes.map((item) => item.sourceId)).toEqual(['d1']);
  });

  const fullExport = [
    TAB,
    { id: 'c1', type: 'comment', z: 'tab1', name: 'About', x: 1, y: 1, wires: [] },
    httpIn([['ch']]),
    node('ch', 'change', {
      name: 'Greet',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'hi', tot: 'str' }],
      wires: [['re']],
    }),
    node('re', 'http response', { name: 'Answer', statusCode: '200' }),
    { id: 'tls', type: 'tls-config', name: 'certs' },
  ];

  it.each([
    ['selected nodes (a z but no tab)', fullExport.filter((item) => item.type !== 'tab')],
    [
      'a clipboard array (no z, no config nodes)',
      fullExport
        .filter((item) => item.type !== 'tab' && item.type !== 'tls-config')
        .map((item) => ({ ...item, z: undefined })),
    ],
    [
      'the admin API tab shape { id, label, nodes }',
      { id: 'tab1', label: 'Main', nodes: fullExport.slice(1, 5), configs: [fullExport[5]] },
    ],
  ])('imports %s to the same flow and report as the full export', (_label, input) => {
    const full = convertNodeRedFlow(fullExport);
    const other = convertNodeRedFlows(input);
    expect(other).toHaveLength(1);
    expect(other[0].document.nodes).toEqual(full.document.nodes);
    expect(other[0].document.edges).toEqual(full.document.edges);
    expect(other[0].report.nodes).toEqual(full.report.nodes);
    expect(full.report.nodes.map((item) => item.sourceId)).toEqual(['c1', 'n1', 'ch', 're']);
  });

  it('makes each connected set of nodes its own flow, named after what it serves', () => {
    const flows = convertNodeRedFlows([
      { ...httpIn([['a2']]), z: undefined },
      { ...node('a2', 'http response'), z: undefined },
      { ...httpIn([['b2']]), id: 'b1', url: '/other', method: 'get', z: undefined },
      { ...node('b2', 'http response'), z: undefined },
      { ...node('i1', 'inject', { name: 'Tick', wires: [['d1']] }), z: undefined },
      { ...node('d1', 'debug'), z: undefined },
    ]);
    expect(flows.map((flow) => flow.document.name)).toEqual(['POST /in', 'GET /other', 'Tick']);
    expect(flows.map((flow) => flow.report.nodes.map((item) => item.sourceId))).toEqual([
      ['n1', 'a2'],
      ['b1', 'b2'],
      ['i1', 'd1'],
    ]);
  });

  it('follows junctions and link nodes when wiring', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      httpIn([['j1']]),
      node('j1', 'junction', { wires: [['lo']] }),
      node('lo', 'link out', { mode: 'link', links: ['li'] }),
      node('li', 'link in', { wires: [['n3']] }),
      node('n3', 'http response', { name: 'Done', statusCode: '204' }),
    ]);
    expect(document.edges).toEqual([
      { from: 'hook', to: 'hook_msg' },
      { from: 'hook_msg', to: 'done' },
    ]);
    expect(
      report.nodes.filter((item) => item.nodeIds.length === 0).map((item) => item.notes),
    ).toEqual([
      ['wiring only: its wires were connected through'],
      ['wiring only: its wires were connected through'],
      ['wiring only: its wires were connected through'],
    ]);
  });

  it('adds a webhook trigger (and says so) when the flow has no http in', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      node('i1', 'inject', { wires: [['n2']] }),
      node('n2', 'debug'),
    ]);
    expect(document.nodes[0]).toMatchObject({ id: 'webhook', type: 'trigger.webhook' });
    expect(report.warnings[0]).toMatch(/no http in node/);
    expect(report.nodes[0]).toMatchObject({ sourceType: 'inject', outcome: 'unsupported' });
  });

  it('keeps one trigger: a second http in wired into the same flow is unsupported', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      httpIn([['n2']]),
      { ...httpIn([['n2']]), id: 'n9', name: 'Other' },
      node('n2', 'http response'),
    ]);
    expect(document.nodes.filter((item) => item.type === 'trigger.webhook')).toHaveLength(1);
    expect(report.nodes[1]).toMatchObject({ outcome: 'unsupported', nodeIds: [] });
  });
});

describe('convertNodeRedFlow: the msg model', () => {
  it('builds msg from the request: payload is the body (the query for GET)', async () => {
    const post = convertNodeRedFlow([TAB, httpIn([])]).document;
    const get = convertNodeRedFlow([TAB, { ...httpIn([]), method: 'get' }]).document;
    const withScope = {
      ...scope,
      trigger: { method: 'GET', headers: { a: '1' }, query: { q: 'x' } },
    };
    const msg = await cache
      .jsonata(String(made(get.nodes, 'hook_msg').params.expression))
      .evaluate(null, withScope);
    expect(msg).toEqual({
      _msgid: 'exec-1',
      payload: { q: 'x' },
      req: { method: 'GET', headers: { a: '1' }, query: { q: 'x' }, params: {}, body: null },
    });
    expect(made(post.nodes, 'hook').params).toEqual({ methods: ['POST'], respond: 'immediately' });
  });

  it('splits arrays, strings and objects into whole messages and joins them back', async () => {
    const { document } = convertNodeRedFlow([
      TAB,
      httpIn([['sp']]),
      node('sp', 'split', { name: 'Split', splt: '\\n', wires: [['jo']] }),
      node('jo', 'join', { name: 'Join', mode: 'auto', wires: [] }),
    ]);
    const items = String(made(document.nodes, 'split').params.items);
    const join = String(made(document.nodes, 'join_msg').params.expression);
    const cases: Array<[JsonValue, number]> = [
      [['a', { b: 1 }, [2]], 3],
      ['x\ny', 2],
      [{ k1: 1, k2: 'v' }, 2],
    ];
    for (const [payload, count] of cases) {
      const msg = { _msgid: 'm1', payload, topic: 't' };
      const split = await evaluate(items, msg);
      const list = Array.isArray(split) ? split : [split];
      expect(list).toHaveLength(count);
      expect(list[0]).toMatchObject({ topic: 't', parts: { index: 0, count } });
      // The join sees the items in order, as the merge node collects them.
      expect(await evaluate(join, list)).toEqual({ _msgid: 'm1', payload, topic: 't' });
    }
  });

  it('carries msg past an http request, unless it runs per split item', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      httpIn([['r1', 'sp']]),
      node('r1', 'http request', {
        name: 'Call',
        method: 'GET',
        url: 'https://a.test/{{payload.id}}',
        ret: 'obj',
      }),
      node('sp', 'split', { wires: [['r2']] }),
      node('r2', 'http request', {
        name: 'Each',
        method: 'POST',
        url: 'https://a.test/x',
        ret: 'txt',
        authType: 'basic',
      }),
    ]);
    expect(made(document.nodes, 'call').params).toMatchObject({
      method: 'GET',
      url: 'https://a.test/{{payload.id}}',
      failOnStatus: false,
    });
    expect(made(document.nodes, 'call_msg').params.expression).toBe(
      '$merge([$nodes.hook_msg, { "payload": body, "statusCode": status, "headers": headers }])',
    );
    expect(made(document.nodes, 'each')).toMatchObject({
      credential: 'each-auth',
      params: { body: 'payload' },
    });
    expect(report.nodes.find((item) => item.sourceName === 'Call')?.notes[0]).toMatch(
      /HTML-escapes/,
    );
    expect(report.nodes.find((item) => item.sourceName === 'Each')?.notes).toEqual([
      'credentials are not exported: create the http-basic credential "each-auth"',
      'with "a UTF-8 string" output, a JSON answer is re-serialised compactly',
      "runs once per split item: after it the message is { payload, statusCode, headers } (the item's other msg properties are not carried over)",
    ]);
  });

  it('converts delays: fixed, from msg.delay, random; rate limits pass at once', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      httpIn([['d1', 'd2', 'd3', 'd4']]),
      node('d1', 'delay', {
        name: 'Fixed',
        pauseType: 'delay',
        timeout: '2',
        timeoutUnits: 'minutes',
      }),
      node('d2', 'delay', {
        name: 'Var',
        pauseType: 'delayv',
        timeout: '5',
        timeoutUnits: 'seconds',
      }),
      node('d3', 'delay', {
        name: 'Rand',
        pauseType: 'random',
        randomFirst: '1',
        randomLast: '3',
        randomUnits: 'seconds',
      }),
      node('d4', 'delay', { name: 'Rate', pauseType: 'rate' }),
    ]);
    expect(made(document.nodes, 'fixed').params).toEqual({ durationMs: 120_000 });
    expect(made(document.nodes, 'var').params.until).toBe(
      '$millis() + ($type(delay) = "number" and delay >= 0 ? delay : 5000)',
    );
    expect(made(document.nodes, 'rand').params.until).toBe(
      '$millis() + 1000 + $round($random() * 2000)',
    );
    expect(made(document.nodes, 'rate').params).toEqual({ durationMs: 0 });
    expect(report.nodes.map((item) => item.outcome)).toEqual([
      'converted',
      'converted',
      'converted',
      'converted',
      'approximated',
    ]);
  });

  it('sends e-mail as HTML only when the template before it is HTML', () => {
    const { document, report } = convertNodeRedFlow([
      TAB,
      httpIn([['t1', 'm2']]),
      node('t1', 'template', { template: '<p>{{payload}}</p>', output: 'str', wires: [['m1']] }),
      node('m1', 'e-mail', {
        name: 'a@x.test',
        dname: 'Html mail',
        server: 'smtp.x.test',
        port: '465',
      }),
      node('m2', 'e-mail', { name: '', dname: 'Any mail' }),
    ]);
    expect(made(document.nodes, 'html_mail').params).toMatchObject({
      to: 'a@x.test',
      text: '{{{payload}}}',
      html: '{{{payload}}}',
    });
    expect(made(document.nodes, 'any_mail').params).toMatchObject({
      to: '{{{to}}}',
      cc: '{{{cc}}}',
    });
    expect(made(document.nodes, 'any_mail').params.html).toBeUndefined();
    expect(report.nodes.map((item) => [item.sourceName, item.outcome])).toEqual([
      ['Hook', 'converted'],
      ['', 'converted'],
      ['Html mail', 'converted'],
      ['Any mail', 'approximated'],
    ]);
  });

  it('keeps a template it cannot translate as unsupported, and flags context reads', () => {
    const { report } = convertNodeRedFlow([
      TAB,
      httpIn([['t1', 't2']]),
      node('t1', 'template', { name: 'Delims', template: '{{=<% %>=}}<% payload %>' }),
      node('t2', 'template', { name: 'Ctx', template: '{{flow.count}} {{{payload}}}' }),
    ]);
    expect(report.nodes[1]).toMatchObject({ outcome: 'unsupported' });
    expect(report.nodes[1].notes[0]).toMatch(/delimiters/);
    expect(report.nodes[2]).toMatchObject({ outcome: 'approximated' });
    expect(report.nodes[2].notes[0]).toMatch(/flow\.count/);
  });
});
