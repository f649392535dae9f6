import type { DeliveryPage } from './support/deliveries';
import { eachMode, type RunningHookflow } from './support/modes';
import { waitFor } from './support/wait-for';

interface FlowView {
  id: string;
  enabled: boolean;
  triggers: Array<{ path: string }>;
}
interface ErrorView {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

const webhook = (params: Record<string, unknown>, more: unknown[] = [], edges: unknown[] = []) => ({
  name: 'hardening',
  nodes: [
    { id: 'hook', type: 'trigger.webhook', params: { dedup: { mode: 'off' }, ...params } },
    ...more,
  ],
  edges,
});

/** Issue #14, intake correctness: each test fails on the code before the fix it names. */
eachMode((mode) => {
  let hookflow: RunningHookflow;
  beforeAll(async () => {
    hookflow = await mode.start();
  });
  afterAll(async () => hookflow?.stop());

  async function createFlow(document: unknown): Promise<FlowView> {
    const answer = await hookflow.api.api<FlowView>('POST', '/api/flows', { body: document });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  it('refuses an empty ipAllow at save, naming its path (it used to let everybody in)', async () => {
    const answer = await hookflow.api.api<ErrorView>('POST', '/api/flows', {
      body: webhook({ ipAllow: [] }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { path: '/nodes/0/params/ipAllow', message: expect.stringMatching(/empty/) },
    ]);
  });

  it('logs a when-finished delivery with the status it was answered (201), not 202', async () => {
    const flow = await createFlow(
      webhook(
        { respond: 'when-finished' },
        [{ id: 'answer', type: 'respond', params: { status: 201, body: "{ 'ok': true }" } }],
        [{ from: 'hook', to: 'answer' }],
      ),
    );
    const answer = await hookflow.api.post(flow.triggers[0].path, '{"n":1}');
    expect(answer.status).toBe(201);
    const logged = await waitFor(
      'the delivery to be logged as answered',
      async () => {
        const page = await hookflow.api.api<DeliveryPage>(
          'GET',
          `/api/deliveries?flowId=${flow.id}`,
        );
        const status = page.body.items[0]?.status;
        return status === 201 ? status : undefined;
      },
      { attempts: 40 },
    );
    expect(logged).toBe(201);
  });
});
