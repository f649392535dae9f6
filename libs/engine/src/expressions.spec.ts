import Handlebars from 'handlebars';
import {
  checkJsonataSyntax,
  escapeSlackText,
  checkTemplateSyntax,
  DEFAULT_EXPRESSION_LIMITS,
  ExpressionCache,
  ExpressionError,
  type ExpressionErrorCode,
  type ExpressionLimits,
  type ExpressionScope,
  type TemplateEscape,
} from './expressions';
import type { JsonValue } from './json';

const scope: ExpressionScope = {
  trigger: { method: 'POST', body: { name: 'Ada' }, headers: { 'x-token': 't0k' } },
  nodes: { fetch: { status: 201, body: { id: 'o-1' } } },
  execution: { id: 'exec-1', flowId: 'flow-1', versionId: 'v1', attempt: 2 },
};

function cache(limits: Partial<ExpressionLimits> = {}): ExpressionCache {
  return new ExpressionCache({ ...DEFAULT_EXPRESSION_LIMITS, ...limits });
}

function evaluate(
  source: string,
  input: JsonValue = {},
  limits: Partial<ExpressionLimits> = {},
): Promise<JsonValue> {
  return cache(limits).jsonata(source).evaluate(input, scope);
}

function render(source: string, input: JsonValue = {}, limits: Partial<ExpressionLimits> = {}) {
  return cache(limits).template(source).evaluate(input, scope);
}

async function expressionFailure(run: () => Promise<unknown> | unknown): Promise<ExpressionError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw new Error(`expected an ExpressionError, got ${String(error)}`);
  }
  throw new Error('expected the expression to fail, it succeeded');
}

describe('JSONata evaluation', () => {
  it('evaluates against the message as $ and returns plain JSON arrays (no sequence flags)', async () => {
    const result = await evaluate('items.(price * 2)', { items: [{ price: 1 }, { price: 2 }] });
    expect(result).toEqual([2, 4]);
    expect(Object.keys(result as JsonValue[])).toEqual(['0', '1']);
  });

  it('binds $trigger, $nodes and $execution', async () => {
    const result = await evaluate(
      '{ "name": $trigger.body.name, "order": $nodes.fetch.body.id, "run": $execution.id, "try": $execution.attempt }',
    );
    expect(result).toEqual({ name: 'Ada', order: 'o-1', run: 'exec-1', try: 2 });
  });

  it('turns a missing result into null', async () => {
    expect(await evaluate('nothing.here')).toBeNull();
  });

  it('drops built-in functions from the output instead of leaking their internals', async () => {
    expect(await evaluate('$string')).toBeNull();
    expect(await evaluate('{ "f": $string, "n": 1 }')).toEqual({ n: 1 });
  });

  it('drops lambdas from the output instead of walking their cyclic environment', async () => {
    expect(await evaluate('function($x) { $x }')).toBeNull();
    expect(await evaluate('{ "f": function($x) { $x + 1 }, "n": 1 }')).toEqual({ n: 1 });
    expect(await evaluate('($f := function($x) { $x }; [$f, 2])')).toEqual([null, 2]);
  });

  it('stops an endless recursive lambda with expression_timeout', async () => {
    const error = await expressionFailure(() =>
      evaluate('($loop := function($n) { $loop($n + 1) }; $loop(0))', {}, { timeoutMs: 20 }),
    );
    expect(error.code satisfies ExpressionErrorCode).toBe('expression_timeout');
    expect(error.message).toBe('expression ran longer than 20 ms');
  });

  it('stops deep non-tail recursion with expression_depth before the JS stack overflows', async () => {
    const source = '($down := function($n) { $n = 0 ? 0 : 1 + $down($n - 1) }; $down(100000))';
    const error = await expressionFailure(() => evaluate(source, {}, { maxDepth: 50 }));
    expect(error.code).toBe('expression_depth');
    expect(error.message).toBe('expression nested deeper than 50 levels');
  });

  it('applies the depth limit with the default limits too', async () => {
    const source = '($down := function($n) { $n = 0 ? 0 : 1 + $down($n - 1) }; $down(100000))';
    expect((await expressionFailure(() => evaluate(source))).code).toBe('expression_depth');
  });

  it('lets recursion within the depth limit finish', async () => {
    const source = '($down := function($n) { $n = 0 ? 0 : 1 + $down($n - 1) }; $down(10))';
    expect(await evaluate(source, {}, { maxDepth: 200 })).toBe(10);
  });

  it('refuses to build a sequence longer than maxSequence', async () => {
    const error = await expressionFailure(() => evaluate('[1..1000]', {}, { maxSequence: 100 }));
    expect(error.code).toBe('expression_failed');
    expect(error.message).toMatch(/sequence/);
  });

  it('reports a runtime failure as expression_failed with its position', async () => {
    const error = await expressionFailure(() => evaluate('"a" + 1'));
    expect(error.code).toBe('expression_failed');
    expect(error.position).toEqual(expect.any(Number));
    expect(error.message).toMatch(/\(position \d+\)$/);
  });

  it('throws expression_syntax with the position when the cache is asked for bad JSONata', async () => {
    const error = await expressionFailure(() => cache().jsonata('$.a +'));
    expect(error.code).toBe('expression_syntax');
    expect(error.position).toBe(5);
  });

  it('runs regexes in linear time: a catastrophic pattern answers at once, and correctly', async () => {
    const input = { text: `${'a'.repeat(30)}!`, ok: 'aaa' };
    expect(await evaluate('$contains(text, /^(a+)+$/)', input)).toBe(false);
    expect(await evaluate('$contains(ok, /^(a+)+$/)', input)).toBe(true);
    expect(await evaluate('$match("a1b22", /[0-9]+/).match', {})).toEqual(['1', '22']);
    expect(await evaluate('$replace("Hello World", /o/i, "0")', {})).toBe('Hell0 W0rld');
    expect(await evaluate('$split("a, b,c", /,\\s*/)', {})).toEqual(['a', 'b', 'c']);
  });

  it('refuses at save time a regex the linear engine cannot run, with its position', () => {
    const problem = checkJsonataSyntax('$match(name, /(a)\\1/)');
    expect(problem?.position).toBe(20);
    expect(problem?.message).toMatch(
      /^regular expression \/\(a\)\\1\/ at position 20 is not supported/,
    );
    expect(checkJsonataSyntax('$contains(name, /(?=a)b/)')?.message).toMatch(/lookaround/);
    expect(checkJsonataSyntax('$contains(name, /^(a+)+$/i)')).toBeUndefined();
  });

  it('loads a stored expression with such a regex, which then fails only its evaluation', async () => {
    expect(checkJsonataSyntax('$contains(name, /(a)\\1/)', false)).toBeUndefined();
    const error = await expressionFailure(() =>
      evaluate('$contains(name, /(a)\\1/)', { name: 'aa' }),
    );
    expect(error.code).toBe('expression_failed');
    expect(error.message).toMatch(/invalid escape sequence/);
  });

  it('fails a step that builds a string longer than maxStringChars', async () => {
    const error = await expressionFailure(() =>
      evaluate("$pad('x', 100000)", {}, { maxStringChars: 50_000 }),
    );
    expect(error.code).toBe('expression_too_large');
    expect(error.message).toBe('expression built a string of 100000 characters, more than 50000');
    const doubling = await expressionFailure(() =>
      evaluate("$reduce([1..40], function($s, $i){ $s & $s }, 'xx')", {}, { maxStringChars: 1000 }),
    );
    expect(doubling.code).toBe('expression_too_large');
    expect(await evaluate("$length($pad('x', 1000))", {}, { maxStringChars: 1000 })).toBe(1000);
  });

  it('refuses $pad and $join beyond the cap before writing anything, and keeps them as they were', async () => {
    // Half a gigabyte if it were written; refused from the arguments alone.
    const padded = await expressionFailure(() => evaluate("$pad('x', -500000000)"));
    expect(padded.message).toBe(
      `expression built a string of 500000000 characters, more than ${16 * 1024 * 1024}`,
    );
    const joined = await expressionFailure(() =>
      evaluate('$join([1..100].$pad("", 100, "y"), ", ")', {}, { maxStringChars: 5000 }),
    );
    expect(joined.message).toBe('expression built a string of 10198 characters, more than 5000');
    expect(await evaluate('"ab" ~> $pad(-5, "#")')).toBe('###ab');
    expect(await evaluate('$pad("ab", 4)')).toBe('ab  ');
    expect(await evaluate('$join(["a", "b"])')).toBe('ab');
    expect(await evaluate('["a", "b"] ~> $join("-")')).toBe('a-b');
    expect(await evaluate('$join(nothing, "-")')).toBeNull();
  });
});

describe('JSONata sandbox', () => {
  it.each([
    'constructor',
    '__proto__',
    '$.constructor',
    'name.constructor',
    '$lookup($, "constructor")',
    '$lookup($, "__proto__")',
    '$string.constructor',
    '$lookup($string, "constructor")',
    '$.toString',
    '$trigger.constructor',
  ])('%s yields nothing', async (source) => {
    expect(await evaluate(source, { name: 'x' })).toBeNull();
  });

  it.each([
    '$string.constructor("return process")()',
    '$lookup($, "constructor")("return process")()',
    '$lookup($string, "constructor")("return process")()',
  ])('%s fails: there is no Function constructor to call', async (source) => {
    const error = await expressionFailure(() => evaluate(source, { name: 'x' }));
    expect(error.code).toBe('expression_failed');
    expect(error.message).toMatch(/non-function/);
  });

  it('a call on a missing constructor path yields nothing instead of reaching process', async () => {
    expect(await evaluate('$.constructor.constructor("return process")()')).toBeNull();
  });

  it('does not pollute Object.prototype through __proto__ keys', async () => {
    await evaluate('$merge([{}, { "__proto__": { "polluted": true } }])');
    await evaluate('{ "__proto__": { "polluted": true } }');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Handlebars rendering', () => {
  it('renders the message as context and @trigger, @nodes, @execution as data', () => {
    expect(
      render(
        '{{greeting}} {{@trigger.body.name}}, order {{@nodes.fetch.body.id}} in {{@execution.id}}',
        {
          greeting: 'Hello',
        },
      ),
    ).toBe('Hello Ada, order o-1 in exec-1');
  });

  it('does not HTML-escape', () => {
    expect(render('{{text}}', { text: `<b>"Tom" & 'Jerry'</b>` })).toBe(`<b>"Tom" & 'Jerry'</b>`);
  });

  it('renders a missing value as empty text', () => {
    expect(render('[{{missing.deep}}]')).toBe('[]');
  });

  it('supports the built-in block helpers', () => {
    expect(
      render('{{#each items}}{{this}},{{/each}}{{#if ok}}yes{{else}}no{{/if}}', {
        items: [1, 2],
        ok: false,
      }),
    ).toBe('1,2,no');
  });

  it('throws expression_failed for a helper that does not exist', async () => {
    const error = await expressionFailure(() => render('{{shout name}}', { name: 'a' }));
    expect(error.code).toBe('expression_failed');
    expect(error.message).toMatch(/unknown helper shout/);
  });

  it('refuses output longer than maxRenderedChars', async () => {
    const input = { items: Array.from({ length: 20 }, () => 'x') };
    const source = '{{#each items}}{{this}}{{/each}}';
    expect(render(source, input, { maxRenderedChars: 20 })).toHaveLength(20);
    const error = await expressionFailure(() => render(source, input, { maxRenderedChars: 19 }));
    expect(error.code).toBe('expression_too_large');
    expect(error.message).toBe('template rendered 20 characters, more than 19');
  });

  it('stops a nested #each at the time limit while it renders, not after', async () => {
    const input = { items: Array.from({ length: 300 }, (_, index) => index) };
    const source =
      '{{#each items}}{{#each ../items}}{{#each ../../items}}.{{/each}}{{/each}}{{/each}}';
    const started = Date.now();
    const error = await expressionFailure(() =>
      render(source, input, { timeoutMs: 50, maxRenderedChars: 100_000_000 }),
    );
    expect(error.code).toBe('expression_timeout');
    expect(error.message).toBe('template ran longer than 50 ms');
    // 27 million iterations take seconds; the limit is checked at every one of them.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a nested #each as soon as its output passes maxRenderedChars', async () => {
    const input = { items: Array.from({ length: 2000 }, () => 'xxxxxxxxxx') };
    const source = '{{#each items}}{{#each ../items}}{{this}}{{/each}}{{/each}}';
    const error = await expressionFailure(() =>
      render(source, input, { timeoutMs: 60_000, maxRenderedChars: 1000 }),
    );
    expect(error.code).toBe('expression_too_large');
    expect(error.message).toMatch(/^template rendered \d+ characters, more than 1000$/);
  });

  it('renders an #each within its budget as before, @index and blocks included', () => {
    const source = '{{#each items}}{{@index}}:{{#if this}}{{this}}{{else}}-{{/if}} {{/each}}';
    expect(render(source, { items: ['a', '', 'c'] })).toBe('0:a 1:- 2:c ');
  });
});

describe('Handlebars sandbox', () => {
  let consoleError: jest.SpyInstance;
  // Handlebars logs a warning when it denies prototype access; keep the test output clean.
  beforeEach(() => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => consoleError.mockRestore());

  it.each([
    '{{constructor.name}}',
    '{{constructor}}',
    '{{__proto__}}',
    '{{name.constructor}}',
    '{{lookup this "constructor"}}',
    '{{#with constructor}}{{name}}{{/with}}',
    '{{@trigger.constructor.name}}',
    '{{constructor.constructor}}',
  ])('%s renders empty', (source) => {
    expect(render(source, { name: 'x' })).toBe('');
    expect(cache().template(source, 'html').evaluate({ name: 'x' }, scope)).toBe('');
    expect(cache().template(source, 'slack').evaluate({ name: 'x' }, scope)).toBe('');
  });
});

describe('syntax checks', () => {
  it('accept valid sources', () => {
    expect(checkJsonataSyntax('$sum(items.price)')).toBeUndefined();
    expect(checkTemplateSyntax('{{#if a}}{{b}}{{/if}} {{@trigger.body.x}}')).toBeUndefined();
  });

  it('give the JSONata position in the message and as a number', () => {
    expect(checkJsonataSyntax('a +')).toEqual({
      message: 'Unexpected end of expression at position 3',
      position: 3,
    });
  });

  it('explain a Handlebars parse error on one line, with what was found and where', () => {
    expect(checkTemplateSyntax('Hi {{name')).toEqual({
      message: `Parse error on line 1: unexpected 'INVALID' near "Hi {{name"`,
    });
    expect(checkTemplateSyntax('line one\n{{#if x}}')).toEqual({
      message: 'Parse error on line 2: unexpected end of template near "line one{{#if x}}"',
    });
  });

  it('catch mismatched blocks and unknown helpers with their line and column', () => {
    expect(checkTemplateSyntax('{{#if a}}{{/each}}')).toEqual({
      message: "if doesn't match each - 1:3",
    });
    expect(checkTemplateSyntax('{{shout name}}')?.message).toBe(
      'You specified knownHelpersOnly, but used the unknown helper shout - 1:0',
    );
  });
});

describe('template escaping modes', () => {
  const input = { name: '<b>Ada</b> & <!channel> "q"', tags: ['<x>', 'y&z'], n: 0 };
  const renderAs = (escape: TemplateEscape, source: string, data: JsonValue = input) =>
    cache().template(source, escape).evaluate(data, scope);

  it('plain templates insert values as they are', () => {
    expect(renderAs('none', '<p>{{name}}</p>')).toBe('<p><b>Ada</b> & <!channel> "q"</p>');
    expect(renderAs('none', '{{upper name}}')).toBe('<B>ADA</B> & <!CHANNEL> "Q"');
  });

  it('html escapes every value, keeps the literal markup and lets {{{ }}} through', () => {
    expect(renderAs('html', '<p class="x">{{name}}</p>')).toBe(
      '<p class="x">&lt;b&gt;Ada&lt;/b&gt; &amp; &lt;!channel&gt; &quot;q&quot;</p>',
    );
    expect(renderAs('html', '<div>{{{name}}}</div>')).toBe(
      '<div><b>Ada</b> & <!channel> "q"</div>',
    );
    expect(renderAs('html', '{{@trigger.body.name}} {{n}}', { n: 0 })).toBe('Ada 0');
  });

  it('slack escapes only & < > in values and keeps the author’s links and mentions', () => {
    expect(renderAs('slack', '<!here> <https://x.test/a?b=1&c=2|Order>: {{name}}')).toBe(
      '<!here> <https://x.test/a?b=1&c=2|Order>: &lt;b&gt;Ada&lt;/b&gt; &amp; &lt;!channel&gt; "q"',
    );
    expect(renderAs('slack', '{{{name}}}')).toBe('<b>Ada</b> & <!channel> "q"');
    expect(renderAs('slack', '{{who}}', { who: "O'Brien" })).toBe("O'Brien");
  });

  it.each(['html', 'slack'] as const)('%s escapes what helpers return, in blocks too', (escape) => {
    expect(renderAs(escape, '{{upper name}}')).toMatch(
      /^&lt;B&gt;ADA&lt;\/B&gt; &amp; &lt;!CHANNEL&gt;/,
    );
    expect(renderAs(escape, '{{json tags}}')).toContain('&lt;x&gt;');
    expect(renderAs(escape, '{{#each tags}}[{{this}}]{{/each}}')).toBe('[&lt;x&gt;][y&amp;z]');
    expect(renderAs(escape, '{{default missing "<i>none</i>"}}')).toBe('&lt;i&gt;none&lt;/i&gt;');
  });

  it('keeps one compiled template per mode for the same source', () => {
    const expressions = cache();
    const source = '{{name}}';
    expect(expressions.template(source, 'html')).not.toBe(expressions.template(source));
    expect(expressions.template(source, 'html')).toBe(expressions.template(source, 'html'));
    expect(expressions.template(source).evaluate(input, scope)).toBe(input.name);
    expect(expressions.size).toBe(2);
  });

  it('leaves the process-wide Handlebars escaper alone', () => {
    cache().template('{{name}}', 'slack').evaluate(input, scope);
    expect(Handlebars.compile('{{x}}')({ x: '"<' })).toBe('&quot;&lt;');
    expect(escapeSlackText(new Handlebars.SafeString('<@U1>'))).toBe('<@U1>');
    expect(escapeSlackText(null)).toBe('');
    expect(escapeSlackText(false)).toBe('false');
  });

  it('checks syntax and refuses unknown helpers in every mode', () => {
    expect(checkTemplateSyntax('<p>{{{raw}}}</p>', 'html')).toBeUndefined();
    expect(checkTemplateSyntax('{{shout name}}', 'slack')?.message).toMatch(/unknown helper shout/);
  });

  it('enforces maxRenderedChars on the escaped text', async () => {
    const expressions = new ExpressionCache({ ...DEFAULT_EXPRESSION_LIMITS, maxRenderedChars: 8 });
    expect(expressions.template('{{v}}', 'none').evaluate({ v: '<<<' }, scope)).toBe('<<<');
    const error = await expressionFailure(() =>
      expressions.template('{{v}}', 'html').evaluate({ v: '<<<' }, scope),
    );
    expect(error.message).toBe('template rendered 12 characters, more than 8');
  });
});
