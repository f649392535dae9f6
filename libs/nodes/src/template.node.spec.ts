import { FLOW_FORMAT, type JsonObject, type RunError, type StepRecord } from '@hookflow/engine';
import { compileTestFlow, runAction, runFlow } from './testing/run-action';

function outputOf(step: StepRecord): unknown {
  if (step.status !== 'succeeded') throw new Error(`the step ${step.status}`);
  return step.output;
}

function errorOf(step: StepRecord): RunError {
  if (step.status === 'succeeded') throw new Error('the step succeeded');
  return step.error;
}

/** Runs `hook -> template` on `body` and returns what the template wrote into `payload`. */
async function renderWith(template: string, body: JsonObject, escapeHtml: boolean) {
  const flow = compileTestFlow({
    format: FLOW_FORMAT,
    name: 'template spec',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'tpl', type: 'template', params: { template, escapeHtml } },
    ],
    edges: [{ from: 'hook', to: 'tpl' }],
  });
  const { state } = await runFlow(flow, { body });
  return (state.outputs.tpl as JsonObject).payload;
}

// The trigger body these runs see: { customer: 'cus_42', cents: 25000, email: 'ada@example.test', name: 'Ada' }.

describe('template node', () => {
  it('renders text into the field and keeps the rest of the message', async () => {
    const { step } = await runAction({
      type: 'template',
      params: { template: 'Hello {{name}}, {{cents}} cents', field: 'greeting.text' },
    });
    expect(step.status).toBe('succeeded');
    expect(outputOf(step)).toEqual({
      customer: 'cus_42',
      cents: 25_000,
      email: 'ada@example.test',
      name: 'Ada',
      greeting: { text: 'Hello Ada, 25000 cents' },
    });
  });

  it('parses the rendered text as JSON when output is json', async () => {
    const { step } = await runAction({
      type: 'template',
      params: { template: '{"who": "{{name}}", "amount": {{cents}} }', output: 'json' },
    });
    expect(outputOf(step)).toMatchObject({ payload: { who: 'Ada', amount: 25_000 } });
  });

  it('parses YAML when output is yaml', async () => {
    const { step } = await runAction({
      type: 'template',
      params: { template: 'who: {{name}}\ntags: [a, b]', output: 'yaml', field: 'doc' },
    });
    expect(outputOf(step)).toMatchObject({ doc: { who: 'Ada', tags: ['a', 'b'] } });
  });

  it('fails with invalid_output when the text is not the promised JSON', async () => {
    const { step } = await runAction({
      type: 'template',
      params: { template: '{"who": {{name}} }', output: 'json' },
    });
    expect(step.status).toBe('failed');
    expect(errorOf(step)).toMatchObject({ code: 'invalid_output' });
    expect(errorOf(step).message).toMatch(/not valid JSON/);
  });

  it('HTML-escapes the values it reads (the Mustache set, slash included) only with escapeHtml', async () => {
    const body = { name: 'Ann & <Bob>', site: 'a/b "c"' };
    const template = '<p>{{name}}</p> {{site}}';
    expect(await renderWith(template, body, true)).toBe(
      '<p>Ann &amp; &lt;Bob&gt;</p> a&#x2F;b &quot;c&quot;',
    );
    expect(await renderWith(template, body, false)).toBe('<p>Ann & <Bob></p> a/b "c"');
  });

  it('refuses a field that would reach the prototype', async () => {
    const { step } = await runAction({
      type: 'template',
      params: { template: 'x', field: 'a.__proto__' },
    });
    expect(step.status).toBe('failed');
    expect(errorOf(step)).toMatchObject({ code: 'invalid_field' });
  });
});
