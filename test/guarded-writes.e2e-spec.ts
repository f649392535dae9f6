import { compileFlow, startRun } from '@hookflow/engine';
import { newId } from '@hookflow/common';
import { nodeRegistry } from '@hookflow/nodes';
import { ExecutionRunner } from '@hookflow/runner';
import { ExecutionsRepository, FlowsRepository } from '@hookflow/store';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every state change of an execution goes through the lease/status guard, and a transient
 * error before a run starts is retried, never recorded as the run's failure.
 */
const FLOW = {
  format: 'hookflow.flow/v1',
  name: 'doubles a number',
  nodes: [
    { id: 'hook', type: 'trigger.webhook', params: {} },
    { id: 'double', type: 'transform', params: { expression: '{ "twice": n * 2 }' } },
  ],
  edges: [{ from: 'hook', to: 'double' }],
};

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;
  let executions: ExecutionsRepository;
  let flowId: string;
  let versionId: string;

  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
    executions = hookflow.app.get(ExecutionsRepository);
    const created = await hookflow.api<{ id: string }>('POST', '/api/flows', { body: FLOW });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    const stored = await hookflow.app.get(FlowsRepository).get(flowId);
    versionId = stored?.version.id ?? '';
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  /** A pending execution no runner knows of yet (as a worker in another process finds it). */
  async function pendingExecution(): Promise<string> {
    const compiled = compileFlow(FLOW, nodeRegistry);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const id = newId();
    const now = new Date();
    const trigger = {
      method: 'POST',
      path: '/hooks/x',
      headers: {},
      query: {},
      body: { n: 21 },
      receivedAt: now.toISOString(),
    };
    await executions.createExecution({
      id,
      flowId,
      flowVersionId: versionId,
      status: 'pending',
      state: startRun(compiled.flow, trigger, { id, flowId, versionId, attempt: 0 }),
      error: null,
      attempt: 0,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    });
    return id;
  }

  it('a database error while loading the flow version does not fail the run: it is retried', async () => {
    const id = await pendingExecution();
    const versions = hookflow.app.get(FlowsRepository);
    const load = jest
      .spyOn(versions, 'getVersion')
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      const runner = hookflow.app.get(ExecutionRunner);
      const first = await runner.run(id);
      expect(load).toHaveBeenCalledTimes(1);
      expect(first).toMatchObject({ kind: 'later', reason: 'transient' });
      const untouched = await executions.get(id);
      expect(untouched).toMatchObject({ status: 'pending', error: null, leaseOwner: null });

      // The retry (the job the report asks for) finds the database back and runs it.
      expect(await runner.run(id)).toEqual({ kind: 'finished' });
      expect(await executions.get(id)).toMatchObject({ status: 'succeeded', error: null });
      const steps = await executions.steps(id);
      expect(steps.find((step) => step.nodeId === 'double')?.output).toEqual({ twice: 42 });
    } finally {
      load.mockRestore();
    }
  });

  it('fail() never flips a finished run, nor one another runner holds', async () => {
    const now = new Date();
    const error = { code: 'flow_version_unavailable', message: 'test' };
    const held = await pendingExecution();
    const claim = await executions.claim({ id: held, owner: 'other', leaseMs: 60_000, now });
    expect(claim.kind).toBe('claimed');
    expect(await executions.fail(held, { owner: 'me', now }, error)).toBe(false);
    expect(await executions.get(held)).toMatchObject({ status: 'running', leaseOwner: 'other' });
    // The holder itself may end it.
    expect(await executions.fail(held, { owner: 'other', now }, error)).toBe(true);
    expect(await executions.get(held)).toMatchObject({ status: 'failed', error });

    const done = await pendingExecution();
    expect(await hookflow.app.get(ExecutionRunner).run(done)).toEqual({ kind: 'finished' });
    expect(await executions.fail(done, { owner: 'me', now: new Date() }, error)).toBe(false);
    expect(await executions.get(done)).toMatchObject({ status: 'succeeded', error: null });
  });

  it('setJob() leaves a finished run alone', async () => {
    const done = await pendingExecution();
    expect(await hookflow.app.get(ExecutionRunner).run(done)).toEqual({ kind: 'finished' });
    const before = (await executions.get(done))?.jobId;
    expect(await executions.setJob(done, `${done}:late`)).toBe(false);
    expect((await executions.get(done))?.jobId).toBe(before);
  });
});
