import type { FlowEntity, FlowVersionEntity, HookEntity } from '@hookflow/store';

export interface TriggerView {
  nodeId: string;
  hookId: string;
  /** What to append to the public URL: `/hooks/<hookId>`. */
  path: string;
  url: string;
  /** Runs the latest version (a draft too) even when disabled; keeps the request as sample data. */
  testPath: string;
  testUrl: string;
}

export function presentHooks(
  hooks: HookEntity[],
  publicUrl: string,
  nodeIds?: Set<string>,
): TriggerView[] {
  return hooks
    .filter((hook) => !nodeIds || nodeIds.has(hook.nodeId))
    .map((hook) => ({
      nodeId: hook.nodeId,
      hookId: hook.id,
      path: `/hooks/${hook.id}`,
      url: `${publicUrl}/hooks/${hook.id}`,
      testPath: `/hooks-test/${hook.id}`,
      testUrl: `${publicUrl}/hooks-test/${hook.id}`,
    }));
}

export function presentFlowSummary(flow: FlowEntity, hooks: HookEntity[], publicUrl: string) {
  return {
    id: flow.id,
    name: flow.name,
    enabled: flow.enabled,
    /** The latest version: what the editor opens and saves on (`baseVersion`). */
    version: flow.version,
    versionId: flow.latestVersionId,
    /** The version deliveries run. */
    publishedVersion: flow.publishedVersion,
    publishedVersionId: flow.currentVersionId,
    /** True when the latest version is a draft saved after the published one. */
    hasUnpublishedChanges: flow.publishedVersion !== flow.version,
    createdAt: flow.createdAt.toISOString(),
    updatedAt: flow.updatedAt.toISOString(),
    triggers: presentHooks(hooks, publicUrl),
  };
}

/** A flow with its latest document (`latest`: the draft when there is one). */
export function presentFlow(
  flow: FlowEntity,
  latest: FlowVersionEntity,
  hooks: HookEntity[],
  publicUrl: string,
) {
  const document = latest.document as { nodes?: Array<{ id: string; type?: string }> };
  // Hooks of trigger nodes removed in later versions stay reserved but are not shown; nor is
  // the hook of a schedule trigger (it has no URL).
  const nodeIds = new Set(
    (document.nodes ?? [])
      .filter((node) => node.type !== 'trigger.schedule')
      .map((node) => node.id),
  );
  return {
    ...presentFlowSummary(flow, [], publicUrl),
    triggers: presentHooks(hooks, publicUrl, nodeIds),
    document: latest.document,
  };
}

/** What every view of a version shows: its number, id, authorship and time. */
export function presentVersionFields(version: Omit<FlowVersionEntity, 'document'>) {
  return {
    version: version.version,
    id: version.id,
    author: version.author,
    message: version.message,
    createdAt: version.createdAt.toISOString(),
  };
}

/** One entry of the version history. */
export function presentVersionSummary(
  flow: FlowEntity,
  version: Omit<FlowVersionEntity, 'document'>,
) {
  return {
    ...presentVersionFields(version),
    published: version.id === flow.currentVersionId,
    latest: version.id === flow.latestVersionId,
  };
}

export function presentVersion(flow: FlowEntity, version: FlowVersionEntity) {
  return { ...presentVersionSummary(flow, version), document: version.document };
}
