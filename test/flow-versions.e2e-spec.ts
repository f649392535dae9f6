import { eachDatabase, type TestDatabase } from './support/databases';
import type { ExecutionView } from './support/deliveries';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface FlowView {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  versionId: string;
  publishedVersion: number;
  publishedVersionId: string;
  hasUnpublishedChanges: boolean;
  triggers: Array<{ path: string; testPath: string }>;
  document: { name: string; nodes: Array<{ id: string; params: Record<string, unknown> }> };
}
interface VersionView {
  version: number;
  id: string;
  author: string | null;
  message: string | null;
  createdAt: string;
  published: boolean;
  latest: boolean;
  document?: FlowDocument;
}
interface ConflictSide {
  version: number;
  author: string | null;
  message: string | null;
  document: FlowDocument;
}
interface ErrorView {
  error: {
    code: string;
    message: string;
    details: Array<{ path: string; message: string }>;
    base?: ConflictSide | null;
    current?: ConflictSide;
  };
}
type FlowDocument = ReturnType<typeof revisionFlow>;

/** A flow whose only work is to say which revision of it ran. */
function revisionFlow(revision: number, name = 'Says its revision') {
  return {
    format: 'hookflow.flow/v1',
    name,
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      { id: 'say', type: 'transform', params: { expression: `{ 'revision': ${revision} }` } },
    ],
    edges: [{ from: 'hook', to: 'say' }],
  };
}

eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp;

  beforeAll(async () => {
    database = await target.create();
    hookflow = await startTestApp(database.env);
  });
  afterAll(async () => {
    await hookflow?.close();
    await database?.drop();
  });

  const create = async (document: FlowDocument) => {
    const created = await hookflow.api<FlowView>('POST', '/api/flows', { body: document });
    expect(created.status).toBe(201);
    return created.body;
  };
  const save = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    hookflow.api<FlowView & ErrorView>('PUT', `/api/flows/${id}`, { body, headers });
  /** Posts a delivery and answers the revision the run reported and the version row it ran. */
  const deliver = async (flow: FlowView, path = flow.triggers[0].path) => {
    const accepted = await hookflow.post(path, '{}');
    expect(accepted.status).toBe(202);
    const { executionId } = accepted.body as { executionId: string };
    const run = await waitFor(`execution ${executionId}`, async () => {
      const answer = await hookflow.api<ExecutionView>('GET', `/api/executions/${executionId}`);
      return ['succeeded', 'failed'].includes(answer.body.status) ? answer.body : undefined;
    });
    const say = run.steps.find((step) => step.nodeId === 'say');
    return {
      revision: (say?.output as { revision: number }).revision,
      versionId: run.flowVersionId,
      version: (run as ExecutionView & { flowVersion: number }).flowVersion,
    };
  };

  it('answers 409 with both versions to the second of two clients saving the same base', async () => {
    const flow = await create(revisionFlow(1));
    // Both clients opened version 1.
    const first = await save(flow.id, { ...revisionFlow(2), baseVersion: 1, message: 'first' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.headers.get('etag')).toBe('"2"');

    const second = await save(
      flow.id,
      { ...revisionFlow(3), message: 'second' },
      { 'if-match': '"1"' },
    );
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('version_conflict');
    expect(second.body.error.base).toMatchObject({ version: 1, document: revisionFlow(1) });
    expect(second.body.error.current).toMatchObject({
      version: 2,
      author: 'HOOKFLOW_API_KEY',
      message: 'first',
      document: revisionFlow(2),
    });

    // Nothing is lost: the first save stands, the second saves once re-based on it.
    expect((await hookflow.api<FlowView>('GET', `/api/flows/${flow.id}`)).body.version).toBe(2);
    const rebased = await save(flow.id, { ...revisionFlow(3), baseVersion: 2, message: 'second' });
    expect(rebased.status).toBe(200);
    const history = await hookflow.api<{ items: VersionView[]; total: number }>(
      'GET',
      `/api/flows/${flow.id}/versions`,
    );
    expect(history.body.total).toBe(3);
    expect(history.body.items.map((v) => [v.version, v.message, v.author])).toEqual([
      [3, 'second', 'HOOKFLOW_API_KEY'],
      [2, 'first', 'HOOKFLOW_API_KEY'],
      [1, null, 'HOOKFLOW_API_KEY'],
    ]);
    for (const [version, revision] of [
      [1, 1],
      [2, 2],
      [3, 3],
    ]) {
      const stored = await hookflow.api<VersionView>(
        'GET',
        `/api/flows/${flow.id}/versions/${version}`,
      );
      expect(stored.body.document).toEqual(revisionFlow(revision));
    }
  });

  it('lets exactly one of several simultaneous saves on the same base win', async () => {
    const flow = await create(revisionFlow(1));
    const answers = await Promise.all(
      [2, 3, 4, 5, 6].map((revision) =>
        save(flow.id, { ...revisionFlow(revision), baseVersion: 1 }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const winner = answers.find((answer) => answer.status === 200);
    for (const loser of answers.filter((answer) => answer.status === 409)) {
      expect(loser.body.error.current?.document).toEqual(winner?.body.document);
    }
    const history = await hookflow.api<{ total: number }>('GET', `/api/flows/${flow.id}/versions`);
    expect(history.body.total).toBe(2);

    // Old clients send no base: every one of their saves is kept, one after the other.
    const unbased = await Promise.all(
      [7, 8, 9, 10].map((revision) => save(flow.id, revisionFlow(revision))),
    );
    expect(unbased.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(unbased.map((answer) => answer.body.version).sort()).toEqual([3, 4, 5, 6]);
    const after = await hookflow.api<{ total: number }>('GET', `/api/flows/${flow.id}/versions`);
    expect(after.body.total).toBe(6);
  });

  it('keeps running the published version while a draft changes, until it is published', async () => {
    const flow = await create(revisionFlow(1));
    expect(flow).toMatchObject({ version: 1, publishedVersion: 1, hasUnpublishedChanges: false });

    const draft = await save(flow.id, { ...revisionFlow(2), baseVersion: 1, draft: true });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({
      version: 2,
      publishedVersion: 1,
      hasUnpublishedChanges: true,
      document: revisionFlow(2),
    });
    const live = await deliver(flow);
    expect(live).toEqual({ revision: 1, versionId: flow.versionId, version: 1 });
    // The test URL tries the draft.
    expect((await deliver(flow, flow.triggers[0].testPath)).revision).toBe(2);

    // No body: publishes the latest.
    const published = await hookflow.api<FlowView>('POST', `/api/flows/${flow.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ publishedVersion: 2, hasUnpublishedChanges: false });
    expect(await deliver(flow)).toEqual({
      revision: 2,
      versionId: draft.body.versionId,
      version: 2,
    });

    // Publishing an older version rolls deliveries back to it.
    await hookflow.api('POST', `/api/flows/${flow.id}/publish`, { body: { version: 1 } });
    expect(await deliver(flow)).toMatchObject({ revision: 1, version: 1 });
    const history = await hookflow.api<{ items: VersionView[] }>(
      'GET',
      `/api/flows/${flow.id}/versions`,
    );
    expect(history.body.items.map((v) => [v.version, v.published, v.latest])).toEqual([
      [2, false, true],
      [1, true, false],
    ]);
  });

  it('diffs two versions node by node and restores an old one as a new version', async () => {
    const flow = await create(revisionFlow(1));
    const v2 = revisionFlow(2, 'Renamed');
    v2.nodes.push({ id: 'extra', type: 'transform', params: { expression: '$' } });
    v2.edges.push({ from: 'say', to: 'extra' });
    await save(flow.id, { ...v2, baseVersion: 1 });

    const diff = await hookflow.api<Record<string, unknown>>(
      'GET',
      `/api/flows/${flow.id}/diff?from=1&to=2`,
    );
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({
      from: { version: 1 },
      to: { version: 2 },
      diff: {
        identical: false,
        flow: [{ path: '/name', before: 'Says its revision', after: 'Renamed' }],
        nodes: {
          added: [{ id: 'extra', type: 'transform', params: { expression: '$' } }],
          removed: [],
          changed: [
            {
              id: 'say',
              type: 'transform',
              changes: [
                {
                  path: '/params/expression',
                  before: "{ 'revision': 1 }",
                  after: "{ 'revision': 2 }",
                },
              ],
            },
          ],
        },
        edges: { added: [{ from: 'say', to: 'extra' }], removed: [] },
      },
    });

    const stale = await hookflow.api<ErrorView>(
      'POST',
      `/api/flows/${flow.id}/versions/1/restore`,
      {
        body: { baseVersion: 1 },
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');

    const restored = await hookflow.api<FlowView>(
      'POST',
      `/api/flows/${flow.id}/versions/1/restore`,
      { headers: { 'if-match': '2' } },
    );
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, publishedVersion: 3 });
    expect(restored.body.document).toEqual(revisionFlow(1));
    const v3 = await hookflow.api<VersionView>('GET', `/api/flows/${flow.id}/versions/3`);
    expect(v3.body.message).toBe('restored from version 1');
    expect((await deliver(flow)).revision).toBe(1);
    const same = await hookflow.api<{ diff: { identical: boolean } }>(
      'GET',
      `/api/flows/${flow.id}/diff?from=1&to=3`,
    );
    expect(same.body.diff.identical).toBe(true);
  });

  it('refuses bad version requests with the right status', async () => {
    const flow = await create(revisionFlow(1));
    const badTag = await save(flow.id, revisionFlow(2), { 'if-match': 'yesterday' });
    expect(badTag.status).toBe(400);
    expect(badTag.body.error.code).toBe('invalid_if_match');
    const disagree = await save(
      flow.id,
      { ...revisionFlow(2), baseVersion: 1 },
      { 'if-match': '5' },
    );
    expect(disagree.status).toBe(400);
    const badBase = await save(flow.id, { ...revisionFlow(2), baseVersion: 'one' });
    expect(badBase.status).toBe(400);
    expect(badBase.body.error.details.map((detail) => detail.path)).toContain('/baseVersion');

    const missing = await hookflow.api<ErrorView>('GET', `/api/flows/${flow.id}/diff?from=1&to=9`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.details).toEqual([{ path: '/to', message: 'no version 9' }]);
    expect((await hookflow.api('GET', `/api/flows/${flow.id}/diff?from=1`)).status).toBe(400);
    expect((await hookflow.api('GET', `/api/flows/${flow.id}/versions/7`)).status).toBe(404);
    expect((await hookflow.api('GET', `/api/flows/${flow.id}/versions/x`)).status).toBe(404);
    const publish = await hookflow.api('POST', `/api/flows/${flow.id}/publish`, {
      body: { version: 4 },
    });
    expect(publish.status).toBe(404);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await hookflow.api('GET', `/api/flows/${unknown}/versions`)).status).toBe(404);
    expect((await save(unknown, { ...revisionFlow(2), baseVersion: 1 })).status).toBe(404);
    // Nothing above saved a version.
    const history = await hookflow.api<{ total: number }>('GET', `/api/flows/${flow.id}/versions`);
    expect(history.body.total).toBe(1);
  });
});
