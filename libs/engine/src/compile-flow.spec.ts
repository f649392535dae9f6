// eslint-disable-next-line no-restricted-imports -- the spec checks real node-type schemas; the engine itself stays free of @hookflow/nodes
import { nodeRegistry } from '@hookflow/nodes';
import { compileFlow, validateFlow, type CompiledFlow } from './compile-flow';
import { DEFAULT_EXPRESSION_LIMITS } from './expressions';
import { FLOW_FORMAT } from './flow-document';
import type { Problem, ProblemCode } from './problem';

const hook = { id: 'hook', type: 'trigger.webhook', params: {} };

function transform(id: string, expression = '$'): Record<string, unknown> {
  return { id, type: 'transform', params: { expression } };
}

function flow(nodes: unknown[], edges: unknown[] = []): Record<string, unknown> {
  return { format: FLOW_FORMAT, name: 'test flow', nodes, edges };
}

function problemsOf(document: unknown): Problem[] {
  const result = compileFlow(document, nodeRegistry);
  expect(result.ok).toBe(false);
  return result.problems;
}

function compiled(document: unknown): CompiledFlow {
  const result = compileFlow(document, nodeRegistry);
  if (!result.ok) throw new Error(`expected a valid flow, got ${JSON.stringify(result.problems)}`);
  return result.flow;
}

function codesAt(problems: Problem[], path: string): ProblemCode[] {
  return problems.filter((problem) => problem.path === path).map((problem) => problem.code);
}

describe('compileFlow: document shape', () => {
  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', []],
    ['a number', 42],
  ])('rejects %s as a document with one schema problem at the root', (_label, input) => {
    expect(problemsOf(input)).toEqual([{ path: '/', message: 'Expected object', code: 'schema' }]);
  });

  it('reports a wrong format string at /format naming the expected format', () => {
    const problems = problemsOf({ ...flow([hook]), format: 'hookflow.flow/v2' });
    expect(problems).toEqual([
      { path: '/format', message: `Expected '${FLOW_FORMAT}'`, code: 'schema' },
    ]);
  });

  it('reports every missing top-level field at its own path', () => {
    const problems = problemsOf({});
    for (const field of ['/format', '/name', '/nodes', '/edges']) {
      expect(problems).toContainEqual({
        path: field,
        message: 'Expected required property',
        code: 'schema',
      });
    }
  });

  it('returns schema problems instead of throwing when nodes and edges hold non-objects', () => {
    const problems = problemsOf(flow([null, hook], [null, 7]));
    expect(problems).toEqual([
      { path: '/nodes/0', message: 'Expected object', code: 'schema' },
      { path: '/edges/0', message: 'Expected object', code: 'schema' },
      { path: '/edges/1', message: 'Expected object', code: 'schema' },
    ]);
  });
});

describe('compileFlow: nodes', () => {
  it('reports an unknown node type at /nodes/<i>/type with the type name', () => {
    const problems = problemsOf(flow([hook, { id: 'x', type: 'fax.send', params: {} }]));
    expect(problems).toEqual([
      {
        path: '/nodes/1/type',
        message: 'unknown node type "fax.send"',
        code: 'unknown_node_type',
      },
    ]);
  });

  it('reports a duplicate node id at the second occurrence, naming the id', () => {
    const problems = problemsOf(
      flow([hook, transform('a'), transform('a')], [{ from: 'hook', to: 'a' }]),
    );
    expect(problems).toEqual([
      { path: '/nodes/2/id', message: 'duplicate node id "a"', code: 'duplicate_node_id' },
    ]);
  });

  it('reports a flow without a trigger at /nodes', () => {
    expect(problemsOf(flow([transform('a')]))).toEqual([
      {
        path: '/nodes',
        message: 'a flow needs exactly one trigger node; it has none',
        code: 'trigger_count',
      },
    ]);
  });

  it('reports two triggers at /nodes and names both', () => {
    const second = { id: 'hook2', type: 'trigger.webhook', params: {} };
    expect(problemsOf(flow([hook, second]))).toEqual([
      {
        path: '/nodes',
        message: 'a flow needs exactly one trigger node; it has 2: hook, hook2',
        code: 'trigger_count',
      },
    ]);
  });
});

describe('compileFlow: edges', () => {
  it('reports edges from and to unknown nodes at /edges/<i>/from and /edges/<i>/to', () => {
    const problems = problemsOf(
      flow(
        [hook, transform('a')],
        [
          { from: 'hook', to: 'a' },
          { from: 'ghost', to: 'a' },
          { from: 'a', to: 'nowhere' },
        ],
      ),
    );
    expect(problems).toEqual([
      {
        path: '/edges/1/from',
        message: 'edge starts at unknown node "ghost"',
        code: 'unknown_edge_node',
      },
      {
        path: '/edges/2/to',
        message: 'edge ends at unknown node "nowhere"',
        code: 'unknown_edge_node',
      },
    ]);
  });

  it('reports an unknown port at /edges/<i>/port and lists the ports that exist', () => {
    const problems = problemsOf(
      flow([hook, transform('a')], [{ from: 'hook', to: 'a', port: 'error' }]),
    );
    expect(problems).toEqual([
      {
        path: '/edges/0/port',
        message: 'node "hook" (trigger.webhook) has no output port "error"; its ports are: main',
        code: 'unknown_port',
      },
    ]);
  });

  it('reports a filter edge without a port at the edge itself, listing true and false', () => {
    const filter = { id: 'f', type: 'filter', params: { condition: 'amount > 100' } };
    const problems = problemsOf(
      flow(
        [hook, filter, transform('a')],
        [
          { from: 'hook', to: 'f' },
          { from: 'f', to: 'a' },
        ],
      ),
    );
    expect(problems).toEqual([
      {
        path: '/edges/1',
        message: 'node "f" (filter) has no output port "main"; its ports are: true, false',
        code: 'unknown_port',
      },
    ]);
  });

  it('reports an edge into the trigger at /edges/<i>/to', () => {
    const problems = problemsOf(
      flow(
        [hook, transform('a'), transform('b')],
        [
          { from: 'hook', to: 'a' },
          { from: 'b', to: 'hook' },
        ],
      ),
    );
    expect(problems).toEqual([
      {
        path: '/edges/1/to',
        message: 'edge ends at trigger "hook"; a trigger has no input',
        code: 'unknown_port',
      },
    ]);
  });

  it('reports a cycle at the edge that closes it and names the whole loop', () => {
    const problems = problemsOf(
      flow(
        [hook, transform('a'), transform('b'), transform('c')],
        [
          { from: 'hook', to: 'a' },
          { from: 'a', to: 'b' },
          { from: 'b', to: 'c' },
          { from: 'c', to: 'a' },
        ],
      ),
    );
    expect(problems).toEqual([
      { path: '/edges/3', message: 'edge closes a cycle: a -> b -> c -> a', code: 'cycle' },
    ]);
  });

  it('reports a self-loop as a cycle of one node', () => {
    const problems = problemsOf(
      flow(
        [hook, transform('a')],
        [
          { from: 'hook', to: 'a' },
          { from: 'a', to: 'a' },
        ],
      ),
    );
    expect(problems).toEqual([
      { path: '/edges/1', message: 'edge closes a cycle: a -> a', code: 'cycle' },
    ]);
  });

  it('accepts a diamond (two paths joining) as acyclic', () => {
    const result = compileFlow(
      flow(
        [hook, transform('a'), transform('b'), transform('c')],
        [
          { from: 'hook', to: 'a' },
          { from: 'hook', to: 'b' },
          { from: 'a', to: 'c' },
          { from: 'b', to: 'c' },
        ],
      ),
      nodeRegistry,
    );
    expect(result.problems).toEqual([]);
  });
});

describe('compileFlow: params', () => {
  function httpNode(params: Record<string, unknown>): Record<string, unknown> {
    return { id: 'call', type: 'http.request', params: { url: 'https://example.test', ...params } };
  }
  const toCall = [{ from: 'hook', to: 'call' }];

  it('reports an http.request timeoutMs of 5 at its param path with the minimum', () => {
    expect(problemsOf(flow([hook, httpNode({ timeoutMs: 5 })], toCall))).toEqual([
      {
        path: '/nodes/1/params/timeoutMs',
        message: 'Expected integer to be greater or equal to 100',
        code: 'invalid_params',
      },
    ]);
  });

  it('reports a transform without its expression at /params/expression', () => {
    const problems = problemsOf(
      flow([hook, { id: 'a', type: 'transform', params: {} }], [{ from: 'hook', to: 'a' }]),
    );
    expect(problems).toContainEqual({
      path: '/nodes/1/params/expression',
      message: 'Expected required property',
      code: 'invalid_params',
    });
    expect(problems.every((problem) => problem.path === '/nodes/1/params/expression')).toBe(true);
  });

  it('reports an unknown param at its own path', () => {
    expect(problemsOf(flow([hook, httpNode({ retries: 3 })], toCall))).toEqual([
      { path: '/nodes/1/params/retries', message: 'Unexpected property', code: 'invalid_params' },
    ]);
  });

  it('escapes "/" and "~" in param keys as RFC 6901 says', () => {
    expect(
      codesAt(
        problemsOf(flow([hook, httpNode({ 'a/b~c': 1 })], toCall)),
        '/nodes/1/params/a~1b~0c',
      ),
    ).toEqual(['invalid_params']);
  });

  it('rejects a header name that is not an HTTP token', () => {
    expect(problemsOf(flow([hook, httpNode({ headers: { 'X Bad': 'v' } })], toCall))).toEqual([
      {
        path: '/nodes/1/params/headers/X Bad',
        message: 'Unexpected property',
        code: 'invalid_params',
      },
    ]);
  });

  it('reports JSONata that does not compile at its param path with the character position', () => {
    expect(
      problemsOf(flow([hook, transform('a', '$.amount +')], [{ from: 'hook', to: 'a' }])),
    ).toEqual([
      {
        path: '/nodes/1/params/expression',
        message: 'JSONata does not compile: Unexpected end of expression at position 10',
        code: 'jsonata_syntax',
      },
    ]);
  });

  it('reports JSONata inside an http.request body union at /params/body', () => {
    expect(problemsOf(flow([hook, httpNode({ body: '{ "a": }' })], toCall))).toEqual([
      {
        path: '/nodes/1/params/body',
        message: expect.stringMatching(/^JSONata does not compile: .* at position \d+$/),
        code: 'jsonata_syntax',
      },
    ]);
  });

  it('reports an unclosed {{#if}} in an http.request url as a Handlebars problem on that line', () => {
    expect(
      problemsOf(flow([hook, httpNode({ url: 'https://x.test/{{#if id}}{{id}}' })], toCall)),
    ).toEqual([
      {
        path: '/nodes/1/params/url',
        message: expect.stringMatching(
          /^Handlebars template does not compile: Parse error on line 1: unexpected end of template near ".*\{\{#if id\}\}\{\{id\}\}"$/,
        ),
        code: 'handlebars_syntax',
      },
    ]);
  });

  it('reports Handlebars problems in header values and { template } bodies at their paths', () => {
    const problems = problemsOf(
      flow(
        [hook, httpNode({ headers: { 'X-Sig': '{{sig' }, body: { template: '{{/each}}' } })],
        toCall,
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['/nodes/1/params/headers/X-Sig', 'handlebars_syntax'],
      ['/nodes/1/params/body/template', 'handlebars_syntax'],
    ]);
  });

  it('reports a template calling a helper that does not exist, which would fail every run', () => {
    expect(
      problemsOf(flow([hook, httpNode({ url: 'https://x.test/{{shout id}}' })], toCall)),
    ).toEqual([
      {
        path: '/nodes/1/params/url',
        message: expect.stringContaining('unknown helper shout'),
        code: 'handlebars_syntax',
      },
    ]);
  });
});

describe('compileFlow: all problems at once', () => {
  it('returns every problem of a broken flow in one result, each at its own path', () => {
    const problems = problemsOf(
      flow(
        [
          hook,
          { id: 'hook2', type: 'trigger.webhook', params: {} },
          { id: 'x', type: 'nope', params: {} },
          transform('a', '$.a +'),
          transform('a'),
          {
            id: 'call',
            type: 'http.request',
            params: { url: '{{#if x}}', timeoutMs: 5, extra: true },
          },
          { id: 'f', type: 'filter', params: { condition: 'ok' } },
        ],
        [
          { from: 'hook', to: 'ghost' },
          { from: 'hook', to: 'call', port: 'oops' },
          { from: 'f', to: 'call' },
          { from: 'call', to: 'f', port: 'main' },
        ],
      ),
    );
    expect(problems.map((problem) => `${problem.code} ${problem.path}`).sort()).toEqual(
      [
        'unknown_node_type /nodes/2/type',
        'jsonata_syntax /nodes/3/params/expression',
        'duplicate_node_id /nodes/4/id',
        'invalid_params /nodes/5/params/extra',
        'invalid_params /nodes/5/params/timeoutMs',
        'handlebars_syntax /nodes/5/params/url',
        'unknown_edge_node /edges/0/to',
        'unknown_port /edges/1/port',
        'unknown_port /edges/2',
        'trigger_count /nodes',
        'cycle /edges/2',
      ].sort(),
    );
  });

  it('validateFlow returns the same problems as compileFlow', () => {
    const document = flow([transform('a', '$.a +')]);
    expect(validateFlow(document, nodeRegistry)).toEqual(
      compileFlow(document, nodeRegistry).problems,
    );
    expect(validateFlow(flow([hook]), nodeRegistry)).toEqual([]);
  });
});

describe('compileFlow: a valid flow', () => {
  const document = flow(
    [
      hook,
      transform('a', '$.amount * 2'),
      transform('b', '$.amount * 2'),
      {
        id: 'call',
        type: 'http.request',
        params: { url: 'https://api.test/{{id}}', headers: { 'X-Id': '{{id}}' } },
      },
    ],
    [
      { from: 'hook', to: 'a' },
      { from: 'hook', to: 'b' },
      { from: 'a', to: 'call' },
    ],
  );

  it('compiles with the trigger found and children indexed by port in edge order', () => {
    const result = compileFlow(document, nodeRegistry);
    expect(result.problems).toEqual([]);
    const compiledFlow = compiled(document);
    expect(compiledFlow.triggerId).toBe('hook');
    expect(compiledFlow.children.get('hook')?.get('main')).toEqual(['a', 'b']);
    expect(compiledFlow.children.get('a')?.get('main')).toEqual(['call']);
    expect([...compiledFlow.nodes.keys()]).toEqual(['hook', 'a', 'b', 'call']);
  });

  it('fills in param defaults (http.request method POST) without touching the document', () => {
    const before = JSON.stringify(document);
    const call = compiled(document).nodes.get('call');
    expect(call?.params).toEqual({
      url: 'https://api.test/{{id}}',
      headers: { 'X-Id': '{{id}}' },
      method: 'POST',
      timeoutMs: 10_000,
      failOnStatus: true,
    });
    expect(JSON.stringify(document)).toBe(before);
  });

  it('compiles each distinct expression once: the same source twice counts once', () => {
    const { expressions } = compiled(document);
    // '$.amount * 2' (twice), 'https://api.test/{{id}}', '{{id}}', trigger has none.
    expect(expressions.size).toBe(3);
    const first = expressions.jsonata('$.amount * 2');
    expect(expressions.jsonata('$.amount * 2')).toBe(first);
    expect(expressions.template('{{id}}')).toBe(expressions.template('{{id}}'));
    expect(expressions.size).toBe(3);
  });

  it('compiles a template in the escaping mode its param declares (email html, Slack text)', () => {
    const { expressions } = compiled(
      flow(
        [
          hook,
          {
            id: 'mail',
            type: 'email.send',
            params: { to: 'a@x.test', subject: '{{name}}', text: '{{name}}', html: '{{name}}' },
          },
          { id: 'chat', type: 'slack.message', params: { text: '{{name}}', channel: '#a' } },
        ],
        [
          { from: 'hook', to: 'mail' },
          { from: 'hook', to: 'chat' },
        ],
      ),
    );
    // One source, three modes: plain (to, subject, text), html, slack; plus 'a@x.test' and '#a'.
    expect(expressions.size).toBe(5);
    const scope = { trigger: {}, nodes: {}, execution: {} };
    const input = { name: '<!channel> & "x"' };
    expect(expressions.template('{{name}}').evaluate(input, scope)).toBe('<!channel> & "x"');
    expect(expressions.template('{{name}}', 'html').evaluate(input, scope)).toBe(
      '&lt;!channel&gt; &amp; &quot;x&quot;',
    );
    expect(expressions.template('{{name}}', 'slack').evaluate(input, scope)).toBe(
      '&lt;!channel&gt; &amp; "x"',
    );
    expect(expressions.size).toBe(5);
  });

  it('uses the default expression limits unless others are given', () => {
    expect(compiled(document).expressions.limits).toEqual(DEFAULT_EXPRESSION_LIMITS);
    const limits = { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 5 };
    const result = compileFlow(document, nodeRegistry, { limits });
    expect(result.ok && result.flow.expressions.limits).toEqual(limits);
  });
});

describe('compileFlow: retry policies', () => {
  it('takes `{ maxAttempts }` alone and fills the documented defaults', () => {
    const result = compiled(
      flow([hook, { ...transform('t'), retry: { maxAttempts: 3 } }], [{ from: 'hook', to: 't' }]),
    );
    expect(result.nodes.get('t')?.retry).toEqual({
      maxAttempts: 3,
      initialDelayMs: 1000,
      maxDelayMs: 300_000,
      factor: 2,
    });
  });

  it('still refuses a policy without maxAttempts, or with a bad delay, at its path', () => {
    const problems = problemsOf(
      flow(
        [hook, { ...transform('t'), retry: { initialDelayMs: 1 } }],
        [{ from: 'hook', to: 't' }],
      ),
    );
    expect(codesAt(problems, '/nodes/1/retry/maxAttempts')).toContain('schema');
    expect(codesAt(problems, '/nodes/1/retry/initialDelayMs')).toContain('schema');
  });
});
