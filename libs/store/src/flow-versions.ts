import { In, type EntityManager } from 'typeorm';
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

/** A new flow: its document becomes version 1 (published); `flowId`/`hookIds` keep imported ids. */
export interface CreateFlowInput extends VersionAuthorship {
  document: FlowDocument;
  enabled: boolean;
  triggerNodeIds: string[];
  flowId?: string;
  /** Trigger node id -> hook id. */
  hookIds?: Readonly<Record<string, string>>;
}

export type VersionSummary = Omit<FlowVersionEntity, 'document'>;

/** Inserts the flow, its first version (published) and the hooks of its trigger nodes. */
export async function createFlow(
  manager: EntityManager,
  input: CreateFlowInput,
): Promise<FlowWithVersion> {
  const now = new Date();
  const flowId = input.flowId ?? newId();
  const version: FlowVersionEntity = {
    id: newId(),
    flowId,
    version: 1,
    document: input.document,
    author: input.author ?? null,
    message: input.message ?? null,
    createdAt: now,
  };
  const flow: FlowEntity = {
    id: flowId,
    name: input.document.name,
    enabled: input.enabled,
    version: 1,
    currentVersionId: version.id,
    publishedVersion: 1,
    latestVersionId: version.id,
    createdAt: now,
    updatedAt: now,
  };
  await insertRows(manager, FlowEntity, flow);
  await insertRows(manager, FlowVersionEntity, version);
  const hooks = input.triggerNodeIds.map((nodeId) => ({
    id: input.hookIds?.[nodeId] ?? newHookId(),
    flowId,
    nodeId,
    createdAt: now,
  }));
  if (hooks.length > 0) await insertRows(manager, HookEntity, hooks);
  return { flow, version, latest: version, hooks };
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

/** Makes a stored version (default: the latest) the published one; false when either is unknown. */
export async function publishVersion(
  manager: EntityManager,
  flowId: string,
  versionNumber: number | undefined,
): Promise<boolean> {
  const flow = await manager.findOneBy(FlowEntity, { id: flowId });
  if (!flow) return false;
  const version = await manager.findOneBy(FlowVersionEntity, {
    flowId,
    version: versionNumber ?? flow.version,
  });
  if (!version) return false;
  await updateRows(
    manager,
    FlowEntity,
    { id: flowId },
    { currentVersionId: version.id, publishedVersion: version.version, updatedAt: new Date() },
  );
  return true;
}

/** Versions newest first, without their documents. */
export async function listVersions(
  manager: EntityManager,
  flowId: string,
  options: { limit: number; offset: number },
): Promise<{ items: VersionSummary[]; total: number }> {
  const [items, total] = await manager.findAndCount(FlowVersionEntity, {
    select: {
      id: true,
      flowId: true,
      version: true,
      author: true,
      message: true,
      createdAt: true,
    },
    where: { flowId },
    order: { version: 'DESC' },
    take: options.limit,
    skip: options.offset,
  });
  return { items, total };
}

/** A version by its number within the flow. */
export async function versionByNumber(
  manager: EntityManager,
  flowId: string,
  versionNumber: number,
): Promise<FlowVersionEntity | undefined> {
  const found = await manager.findOneBy(FlowVersionEntity, { flowId, version: versionNumber });
  return found ?? undefined;
}

/** Version numbers by version id (executions show which version of their flow they ran). */
export async function versionNumbers(
  manager: EntityManager,
  versionIds: string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(versionIds)];
  if (unique.length === 0) return new Map();
  const rows = await manager.find(FlowVersionEntity, {
    select: { id: true, version: true },
    where: { id: In(unique) },
  });
  return new Map(rows.map((row) => [row.id, row.version]));
}
