import type { EntityManager } from 'typeorm';
import { newHookId, newId } from '@hookflow/common';
import type { FlowDocument } from '@hookflow/engine';
import { insertRows, updateRows } from './rows';
import { FlowEntity } from './entities/flow.entity';
import { FlowVersionEntity } from './entities/flow-version.entity';
import { HookEntity } from './entities/hook.entity';

export interface FlowWithVersion {
  flow: FlowEntity;
  /** The published version: what deliveries run. */
  version: FlowVersionEntity;
  /** The latest version (the same row as `version` when nothing is unpublished). */
  latest: FlowVersionEntity;
  hooks: HookEntity[];
}

/** Who saved a version and why. */
export interface VersionAuthorship {
  author?: string | null;
  message?: string | null;
}

/** A save refused because the flow moved on since the version the caller based it on. */
export interface VersionConflict {
  conflict: true;
  /** The version the caller based the save on (undefined: no such version). */
  base: FlowVersionEntity | undefined;
  current: FlowVersionEntity;
}

export interface SaveVersionInput extends VersionAuthorship {
  flowId: string;
  document: FlowDocument;
  triggerNodeIds: string[];
  /** Save only if the flow is still at this version (optimistic locking). */
  baseVersion?: number;
  /** Make the new version the one deliveries run. */
  publish: boolean;
}

/** One save attempt; a number is the flow's current version when the save lost. */
export async function saveVersion(
  manager: EntityManager,
  input: SaveVersionInput,
): Promise<FlowWithVersion | number | undefined> {
  const flow = await manager.findOneBy(FlowEntity, { id: input.flowId });
  if (!flow) return undefined;
  if (input.baseVersion !== undefined && input.baseVersion !== flow.version) return flow.version;
  const now = new Date();
  const version: FlowVersionEntity = {
    id: newId(),
    flowId: flow.id,
    version: flow.version + 1,
    document: input.document,
    author: input.author ?? null,
    message: input.message ?? null,
    createdAt: now,
  };
  const patch: Partial<FlowEntity> = {
    name: input.document.name,
    version: version.version,
    latestVersionId: version.id,
    updatedAt: now,
    ...(input.publish ? { currentVersionId: version.id, publishedVersion: version.version } : {}),
  };
  const won = await updateRows(manager, FlowEntity, { id: flow.id, version: flow.version }, patch);
  if (won === 0) {
    const moved = await manager.findOneBy(FlowEntity, { id: flow.id });
    return moved ? moved.version : undefined;
  }
  await insertRows(manager, FlowVersionEntity, version);
  Object.assign(flow, patch);
  const existing = await manager.findBy(HookEntity, { flowId: flow.id });
  const added = input.triggerNodeIds
    .filter((nodeId) => !existing.some((hook) => hook.nodeId === nodeId))
    .map((nodeId) => ({ id: newHookId(), flowId: flow.id, nodeId, createdAt: now }));
  if (added.length > 0) await insertRows(manager, HookEntity, added);
  const published = input.publish
    ? version
    : await manager.findOneByOrFail(FlowVersionEntity, { id: flow.currentVersionId });
  return { flow, version: published, latest: version, hooks: [...existing, ...added] };
}
