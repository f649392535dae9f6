import { eachMode, type RunningHookflow } from './support/modes';
import { call, type HttpAnswer, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface StepView {
  nodeId: string;
  status: string;
  startedAt: string;
  finishedAt: string;
  output?: unknown;
  error?: { code: string; message: string };
}
interface ExecutionView {
  status: string;
  error: { code: string; message: string; nodeId?: string } | null;
  steps: StepView[];
}

interface NodeSpec {
  id: string;
  type: string;
  params: Record<string, unknown>;
}

/** The documented limit of one evaluation in these tests (HOOKFLOW_EXPRESSION_TIMEOUT_MS). */
const TIMEOUT_MS = 300;
/** Generous: a loaded CI machine may be slow, but nowhere near the many seconds of an attack. */
const MARGIN_MS = 5000;
const ITEMS = Array.from({ length: 300 }, (_, index) => ({ id: index, name: `item ${index}` }));

/**
 * Expressions a flow author (or a payload) can make expensive fail with their code within the
 * documented limit, while the rest of the server goes on answering: a normal delivery to another
 * flow and /health/live are answered while the attacked run is in progress.
 */
eachMode((mode) => {
  let running: RunningHookflow;
  let hookflow: TestApp;
  let normalPath: string;

  beforeAll(async () => {
    running = await mode.start({
      HOOKFLOW_EXPRESSION_TIMEOUT_MS: String(TIMEOUT_MS),
      HOOKFLOW_MAX_OUTPUT_BYTES: String(1024 * 1024),
    });
    hookflow = running.api;
    normalPath = await createFlow(
      'normal',
      [{ id: 'echo', type: 'respond', params: { status: 200, body: '{ "echo": n }' } }],
      'when-finished',
    );
  });
  afterAll(async () => {
    await running?.stop();
  });

  async function createFlow(
    name: string,
    nodes: NodeSpec[],
    respond: 'immediately' | 'when-finished' = 'immediately',
  ): Promise<string> {
    const flow = await hookflow.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
      body: {
        name,
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: { respond, dedup: { mode: 'off' } } },
          ...nodes,
        ],
        edges: nodes.map((node) => ({ from: 'hook', to: node.id })),
      },
    });
    expect(flow.status).toBe(201);
    return flow.body.triggers[0].path;
  }

  interface Outcome {
    run: ExecutionView;
    normal: HttpAnswer;
    live: HttpAnswer;
  }

  /** Posts the attack, then (while its run is in progress) a normal delivery and a probe. */
  async function attack(nodes: NodeSpec[], body: unknown): Promise<Outcome> {
    const path = await createFlow('attack', nodes);
    const accepted = await hookflow.post(path, JSON.stringify(body));
    expect(accepted.status).toBe(202);
    const { executionId } = accepted.body as { executionId: string };
    const [normal, live] = await Promise.all([
      hookflow.post(normalPath, JSON.stringify({ n: 7 })),
      call(`${hookflow.url}/health/live`, 'GET'),
    ]);
    const run = await waitFor('the attacked run to end', async () => {
      const view = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(view.body.status) ? view.body : undefined;
    });
    return { run, normal, live };
  }

  function expectContained({ run, normal, live }: Outcome, nodeId: string, code: string): void {
    expect(normal.status).toBe(200);
    expect(normal.body).toEqual({ echo: 7 });
    expect(live.status).toBe(200);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code, nodeId });
    const step = run.steps.find((candidate) => candidate.nodeId === nodeId);
    expect(step?.status).toBe('failed');
    const tookMs = Date.parse(step?.finishedAt ?? '') - Date.parse(step?.startedAt ?? '');
    expect(tookMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  }

  it('stops a nested Handlebars #each over a few hundred items at the time limit', async () => {
    // 300^3 iterations writing one character per 300: far below the output cap, so only the
    // time budget can stop it, on a fast machine as on a slow one.
    const template =
      '{{#each items}}{{#each ../items}}{{#each ../../items}}{{#if @last}}.{{/if}}' +
      '{{/each}}{{/each}}{{/each}}';
    const outcome = await attack([{ id: 'render', type: 'template', params: { template } }], {
      items: ITEMS,
    });
    expectContained(outcome, 'render', 'expression_timeout');
    expect(outcome.run.error?.message).toBe(`template ran longer than ${TIMEOUT_MS} ms`);
  });

  it('matches a catastrophic regex in linear time instead of backtracking for seconds', async () => {
    // /^(a+)+$/ against 30 a's and a "!" backtracks for ~30 s in a backtracking engine.
    const expression = '{ "matches": $contains(text, /^(a+)+$/) }';
    const { run, normal, live } = await attack(
      [{ id: 'check', type: 'transform', params: { expression } }],
      { text: `${'a'.repeat(30)}!` },
    );
    expect(normal.status).toBe(200);
    expect(live.status).toBe(200);
    expect(run.status).toBe('succeeded');
    const check = run.steps.find((step) => step.nodeId === 'check');
    expect(check).toMatchObject({ status: 'succeeded', output: { matches: false } });
    expect(Date.parse(check?.finishedAt ?? '') - Date.parse(check?.startedAt ?? '')).toBeLessThan(
      TIMEOUT_MS + MARGIN_MS,
    );
  });

  it("fails $pad('x', 100000000) with expression_too_large instead of storing it", async () => {
    const outcome = await attack(
      [{ id: 'big', type: 'transform', params: { expression: "$pad('x', 100000000)" } }],
      {},
    );
    expectContained(outcome, 'big', 'expression_too_large');
    expect(outcome.run.error?.message).toBe(
      `expression built a string of 100000000 characters, more than ${1024 * 1024}`,
    );
  });

  it('refuses to save a regex the linear-time engine cannot run, naming where it is', async () => {
    const answer = await hookflow.api<{
      error: { details: Array<{ path: string; message: string }> };
    }>('POST', '/api/flows', {
      body: {
        name: 'backreference',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          { id: 'twice', type: 'filter', params: { condition: '$contains(word, /(a)\\1/)' } },
        ],
        edges: [{ from: 'hook', to: 'twice' }],
      },
    });
    expect(answer.status).toBe(400);
    const detail = answer.body.error.details.find(
      (candidate) => candidate.path === '/nodes/1/params/condition',
    );
    expect(detail?.message).toMatch(
      /regular expression \/\(a\)\\1\/ at position 23 is not supported/,
    );
  });

  it('fails a node whose output passes HOOKFLOW_MAX_OUTPUT_BYTES, and stores none of it', async () => {
    // Each string is under the cap; together they are far over it.
    const expression = "($s := $pad('', 100000, 'y'); [1..64].$s)";
    const outcome = await attack([{ id: 'wide', type: 'transform', params: { expression } }], {});
    expectContained(outcome, 'wide', 'output_too_large');
    const step = outcome.run.steps.find((candidate) => candidate.nodeId === 'wide');
    expect(JSON.stringify(step).length).toBeLessThan(10_000);
  });
});
