import { eachMode, type RunningHookflow } from './support/modes';
import { startSink, type Sink } from './support/sink';
import { waitFor } from './support/wait-for';

/**
 * A burst far longer than the backlog memory may hold (HOOKFLOW_BACKLOG_IN_MEMORY=100): one run
 * at a time, each call answered after a few milliseconds, so the burst is acknowledged much faster
 * than it runs and most of its backlog waits on disk only (embedded), read back page by page.
 * Every acknowledged delivery runs, each exactly once, with its own body (on SQLite a body of this
 * size is stored once, in its delivery row: the runs read back from disk get it from there).
 * Queue mode ignores the setting (Redis holds its jobs): the same promise holds there.
 */
const DELIVERIES = 800;
const CONNECTIONS = 32;
/** About 1 KB per body, different for each delivery. */
const noteOf = (n: number): string => `${n}:`.repeat(1000 / (String(n).length + 1));

interface FlowView {
  id: string;
  triggers: Array<{ path: string }>;
}

eachMode((mode) => {
  let hookflow: RunningHookflow;
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
    sink.reply(() => ({
      status: 200,
      body: { ok: true },
      holdUntil: new Promise<void>((resolve) => setTimeout(resolve, 3)),
    }));
    hookflow = await mode.start({
      HOOKFLOW_BACKLOG_IN_MEMORY: '100',
      HOOKFLOW_CONCURRENCY: '1',
      HOOKFLOW_WORKER_CONCURRENCY: '1',
    });
  });
  afterAll(async () => {
    await hookflow?.stop();
    await sink?.close();
  });

  it('runs every delivery of a burst longer than the backlog memory once', async () => {
    const imported = await hookflow.api.api<FlowView>('POST', '/api/flows/import', {
      body: {
        format: 'hookflow.flow/v1',
        name: 'backlog on disk',
        nodes: [
          { id: 'hook', type: 'trigger.webhook', params: {} },
          {
            id: 'call',
            type: 'http.request',
            params: { url: `${sink.url}/n/{{n}}`, method: 'POST' },
          },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      },
    });
    expect(imported.status).toBe(201);
    const path = imported.body.triggers[0].path;

    const statuses: number[] = [];
    let next = 0;
    const poster = async () => {
      while (next < DELIVERIES) {
        const n = next++;
        const answer = await hookflow.api.post(path, JSON.stringify({ n, note: noteOf(n) }));
        statuses.push(answer.status);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, poster));
    expect(statuses.filter((status) => status !== 202)).toEqual([]);

    await waitFor(
      'every delivery to reach the sink',
      async () => (new Set(sink.received.map((r) => r.url)).size >= DELIVERIES ? true : undefined),
      { attempts: 1200, intervalMs: 100 },
    );
    await waitFor(
      'every execution to be recorded as succeeded',
      async () => {
        const page = await hookflow.api.api<{ total: number }>(
          'GET',
          `/api/executions?flowId=${imported.body.id}&status=succeeded&limit=1`,
        );
        return page.body.total === DELIVERIES ? true : undefined;
      },
      { attempts: 300, intervalMs: 100 },
    );
    // Each delivery reached the sink once: no run was started twice from memory and from disk.
    const perDelivery = new Map<string, number>();
    for (const request of sink.received) {
      perDelivery.set(request.url, (perDelivery.get(request.url) ?? 0) + 1);
    }
    expect(perDelivery.size).toBe(DELIVERIES);
    expect([...perDelivery.values()].filter((count) => count !== 1)).toEqual([]);
    // Each call carried its own delivery's body (the node posts its input), not a neighbour's.
    const wrongBodies = sink.received.filter((request) => {
      const n = Number(request.url.split('/').pop());
      return request.body !== JSON.stringify({ n, note: noteOf(n) });
    });
    expect(wrongBodies.map((request) => request.url)).toEqual([]);
  }, 240_000);
});
