import type { FlowEntity, FlowVersionEntity, HookEntity } from '@hookflow/store';

export interface TriggerView {
  nodeId: string;
  hookId: string;
  /** What to append to the public URL: `/hooks/<hookId>`. */
  path: string;
  url: string;
  /** Runs the current version even when disabled and keeps the request as sample data. */
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
    version: flow.version,
    versionId: flow.currentVersionId,
    createdAt: flow.createdAt.toISOString(),
    updatedAt: flow.updatedAt.toISOString(),
    triggers: presentHooks(hooks, publicUrl),
  };
}

export function presentFlow(
  flow: FlowEntity,
  version: FlowVersionEntity,
  hooks: HookEntity[],
  publicUrl: string,
) {
  const document = version.document as { nodes?: Array<{ id: string }> };
  // Hooks of trigger nodes removed in later versions stay reserved but are not shown.
  const nodeIds = new Set((document.nodes ?? []).map((node) => node.id));
  return {
    ...presentFlowSummary(flow, [], publicUrl),
    triggers: presentHooks(hooks, publicUrl, nodeIds),
    document: version.document,
  };
}
