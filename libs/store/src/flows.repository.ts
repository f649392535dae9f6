import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { newHookId, newId } from '@hookflow/common';
import type { FlowDocument } from '@hookflow/engine';
import { Database } from './database';
import { insertRows, updateRows } from './rows';
import { FlowEntity } from './entities/flow.entity';
import { FlowVersionEntity } from './entities/flow-version.entity';
import { HookEntity, type TriggerSample } from './entities/hook.entity';
import { ExecutionEntity } from './entities/execution.entity';
import { ExecutionStepEntity } from './entities/execution-step.entity';
import {
  saveVersion,
  type FlowWithVersion,
  type SaveVersionInput,
  type VersionAuthorship,
  type VersionConflict,
} from './flow-versions';

export type { FlowWithVersion, SaveVersionInput, VersionAuthorship, VersionConflict };

export interface HookTarget {
  hook: HookEntity;
  flow: FlowEntity;
}

export type VersionSummary = Omit<FlowVersionEntity, 'document'>;

/**
 * Hook targets are read on every delivery; they change only when a flow is edited, enabled or
 * disabled. This process forgets them at once on such a change; other API processes (queue
 * mode) see it within the TTL.
 */
const HOOK_CACHE_TTL_MS = 1000;
const HOOK_CACHE_SIZE = 10_000;
/** Saves without a base version retry when another save wins the race meanwhile. */
const UNBASED_SAVE_ATTEMPTS = 5;

@Injectable()
export class FlowsRepository {
  private readonly targets = new Map<string, { target: HookTarget; expires: number }>();

  constructor(@Inject(Database) private readonly database: Database) {}

  /**
   * Creates the flow, its first version (published) and the hooks of its trigger nodes,
   * atomically. `flowId` and `hookIds` (trigger node id -> hook id) keep the ids of an imported
   * flow; the caller checked they are free (a race ends in a unique violation).
   */
  async create(
    input: {
      document: FlowDocument;
      enabled: boolean;
      triggerNodeIds: string[];
      flowId?: string;
      hookIds?: Readonly<Record<string, string>>;
    } & VersionAuthorship,
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
    return this.database.transaction(async (manager) => {
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
    });
  }

  /**
   * Stores a new immutable version. With `baseVersion`, only if the flow is still at that
   * version (optimistic locking: the conditional UPDATE makes a concurrent save on the same base
   * lose on PostgreSQL too). `publish` makes it the version deliveries run. Hooks of trigger
   * nodes that already had one are kept (their URL is pasted elsewhere); new triggers get one.
   */
  async save(input: SaveVersionInput): Promise<FlowWithVersion | VersionConflict | undefined> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.database.transaction((manager) => saveVersion(manager, input));
      this.forget(input.flowId);
      if (typeof outcome !== 'number') return outcome;
      if (input.baseVersion === undefined && attempt < UNBASED_SAVE_ATTEMPTS) continue;
      const [base, current] = await Promise.all([
        this.getVersionByNumber(input.flowId, input.baseVersion ?? outcome - 1),
        this.getVersionByNumber(input.flowId, outcome),
      ]);
      if (!current) return undefined;
      return { conflict: true, base: base ?? undefined, current };
    }
  }

  /** Makes a stored version the one deliveries run; undefined when flow or version is unknown. */
  async publish(flowId: string, versionNumber?: number): Promise<FlowWithVersion | undefined> {
    const published = await this.database.transaction(async (manager) => {
      const flow = await manager.findOneBy(FlowEntity, { id: flowId });
      if (!flow) return undefined;
      const version = await manager.findOneBy(FlowVersionEntity, {
        flowId,
        version: versionNumber ?? flow.version,
      });
      if (!version) return undefined;
      await updateRows(
        manager,
        FlowEntity,
        { id: flowId },
        { currentVersionId: version.id, publishedVersion: version.version, updatedAt: new Date() },
      );
      return true;
    });
    this.forget(flowId);
    return published ? this.get(flowId) : undefined;
  }

  /** Versions newest first, without their documents. */
  async listVersions(
    flowId: string,
    options: { limit: number; offset: number },
  ): Promise<{ items: VersionSummary[]; total: number }> {
    const [items, total] = await this.database.manager.findAndCount(FlowVersionEntity, {
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
  async getVersionByNumber(
    flowId: string,
    versionNumber: number,
  ): Promise<FlowVersionEntity | undefined> {
    const found = await this.database.manager.findOneBy(FlowVersionEntity, {
      flowId,
      version: versionNumber,
    });
    return found ?? undefined;
  }

  /** Version numbers by version id (executions show which version of their flow they ran). */
  async versionNumbers(versionIds: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(versionIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.database.manager.find(FlowVersionEntity, {
      select: { id: true, version: true },
      where: { id: In(unique) },
    });
    return new Map(rows.map((row) => [row.id, row.version]));
  }

  /** Which of these ids are taken here: flow id and hook ids (an import keeps free ones). */
  async takenIds(flowId: string | undefined, hookIds: string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    if (flowId && (await this.database.manager.existsBy(FlowEntity, { id: flowId }))) {
      taken.add(flowId);
    }
    if (hookIds.length > 0) {
      const hooks = await this.database.manager.find(HookEntity, {
        select: { id: true },
        where: { id: In(hookIds) },
      });
      for (const hook of hooks) taken.add(hook.id);
    }
    return taken;
  }

  async get(flowId: string): Promise<FlowWithVersion | undefined> {
    const flow = await this.database.manager.findOneBy(FlowEntity, { id: flowId });
    if (!flow) return undefined;
    const [version, latest, hooks] = await Promise.all([
      this.database.manager.findOneByOrFail(FlowVersionEntity, { id: flow.currentVersionId }),
      flow.latestVersionId === flow.currentVersionId
        ? undefined
        : this.database.manager.findOneByOrFail(FlowVersionEntity, { id: flow.latestVersionId }),
      this.database.manager.findBy(HookEntity, { flowId }),
    ]);
    return { flow, version, latest: latest ?? version, hooks };
  }

  async list(options: { limit: number; offset: number }): Promise<{
    items: Array<FlowEntity & { hooks: HookEntity[] }>;
    total: number;
  }> {
    const [flows, total] = await this.database.manager.findAndCount(FlowEntity, {
      order: { createdAt: 'DESC', id: 'ASC' },
      take: options.limit,
      skip: options.offset,
    });
    const hooks =
      flows.length === 0
        ? []
        : await this.database.manager.findBy(HookEntity, { flowId: In(flows.map((f) => f.id)) });
    return {
      items: flows.map((flow) => ({
        ...flow,
        hooks: hooks.filter((hook) => hook.flowId === flow.id),
      })),
      total,
    };
  }

  /** Enabling a flow that has no published version publishes its latest one. */
  async setEnabled(flowId: string, enabled: boolean): Promise<boolean> {
    this.forget(flowId);
    const result = await this.database.transaction(async (manager) => {
      const flow = await manager.findOneBy(FlowEntity, { id: flowId });
      if (!flow) return false;
      const publish =
        enabled && flow.publishedVersion === 0
          ? { currentVersionId: flow.latestVersionId, publishedVersion: flow.version }
          : {};
      await updateRows(
        manager,
        FlowEntity,
        { id: flowId },
        { enabled, ...publish, updatedAt: new Date() },
      );
      return true;
    });
    this.forget(flowId);
    return result;
  }

  /** Deletes the flow with its versions, hooks and run history. */
  async delete(flowId: string): Promise<boolean> {
    this.forget(flowId);
    const result = await this.database.transaction(async (manager) => {
      const result = await manager.delete(FlowEntity, { id: flowId });
      if ((result.affected ?? 0) === 0) return false;
      const executions = await manager.find(ExecutionEntity, {
        select: { id: true },
        where: { flowId },
      });
      const ids = executions.map((execution) => execution.id);
      for (let start = 0; start < ids.length; start += 500) {
        await manager.delete(ExecutionStepEntity, {
          executionId: In(ids.slice(start, start + 500)),
        });
      }
      await manager.delete(ExecutionEntity, { flowId });
      await manager.delete(FlowVersionEntity, { flowId });
      await manager.delete(HookEntity, { flowId });
      return true;
    });
    this.forget(flowId);
    return result;
  }

  getVersion(versionId: string): Promise<FlowVersionEntity | null> {
    return this.database.manager.findOneBy(FlowVersionEntity, { id: versionId });
  }

  /** Keeps a request captured on a trigger's test URL as that trigger's sample data. */
  async saveSample(hookId: string, sample: TriggerSample, at: Date): Promise<void> {
    await this.database.transaction((manager) =>
      updateRows(manager, HookEntity, { id: hookId }, { sample, sampleAt: at }),
    );
  }

  async sample(
    flowId: string,
  ): Promise<Array<{ nodeId: string; sample: TriggerSample; sampleAt: Date }>> {
    const hooks = await this.database.manager.find(HookEntity, {
      select: { id: true, nodeId: true, sample: true, sampleAt: true },
      where: { flowId },
    });
    return hooks.flatMap((hook) =>
      hook.sample && hook.sampleAt
        ? [{ nodeId: hook.nodeId, sample: hook.sample, sampleAt: hook.sampleAt }]
        : [],
    );
  }

  /** The hot path's one lookup: which flow a hook belongs to. */
  async findHookTarget(hookId: string): Promise<HookTarget | undefined> {
    const cached = this.targets.get(hookId);
    if (cached && cached.expires > Date.now()) return cached.target;
    const hook = await this.database.manager.findOneBy(HookEntity, { id: hookId });
    const flow = hook
      ? await this.database.manager.findOneBy(FlowEntity, { id: hook.flowId })
      : null;
    const target = hook && flow ? { hook, flow } : undefined;
    // Unknown hooks are not cached: a scan of random URLs must not fill the memory.
    if (target) {
      if (this.targets.size >= HOOK_CACHE_SIZE) this.targets.clear();
      this.targets.set(hookId, { target, expires: Date.now() + HOOK_CACHE_TTL_MS });
    }
    return target;
  }

  /** Forgets cached hook targets of a flow after it changed in this process. */
  private forget(flowId: string): void {
    for (const [hookId, entry] of this.targets) {
      if (entry.target.flow.id === flowId) this.targets.delete(hookId);
    }
  }
}
