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

export interface FlowWithVersion {
  flow: FlowEntity;
  version: FlowVersionEntity;
  hooks: HookEntity[];
}

export interface HookTarget {
  hook: HookEntity;
  flow: FlowEntity;
}

/**
 * Hook targets are read on every delivery; they change only when a flow is edited, enabled or
 * disabled. This process forgets them at once on such a change; other API processes (queue
 * mode) see it within the TTL.
 */
const HOOK_CACHE_TTL_MS = 1000;
const HOOK_CACHE_SIZE = 10_000;

@Injectable()
export class FlowsRepository {
  private readonly targets = new Map<string, { target: HookTarget; expires: number }>();

  constructor(@Inject(Database) private readonly database: Database) {}

  /** Creates the flow, its first version and the hooks of its trigger nodes, atomically. */
  async create(input: {
    document: FlowDocument;
    enabled: boolean;
    triggerNodeIds: string[];
  }): Promise<FlowWithVersion> {
    const now = new Date();
    const flowId = newId();
    const version: FlowVersionEntity = {
      id: newId(),
      flowId,
      version: 1,
      document: input.document,
      createdAt: now,
    };
    const flow: FlowEntity = {
      id: flowId,
      name: input.document.name,
      enabled: input.enabled,
      version: 1,
      currentVersionId: version.id,
      createdAt: now,
      updatedAt: now,
    };
    return this.database.transaction(async (manager) => {
      await insertRows(manager, FlowEntity, flow);
      await insertRows(manager, FlowVersionEntity, version);
      const hooks = input.triggerNodeIds.map((nodeId) => ({
        id: newHookId(),
        flowId,
        nodeId,
        createdAt: now,
      }));
      if (hooks.length > 0) await insertRows(manager, HookEntity, hooks);
      return { flow, version, hooks };
    });
  }

  /**
   * Stores a new immutable version. Hooks of trigger nodes that already had one are kept as they
   * are (their URL is pasted elsewhere); new trigger nodes get a new hook.
   */
  async addVersion(input: {
    flowId: string;
    document: FlowDocument;
    triggerNodeIds: string[];
  }): Promise<FlowWithVersion | undefined> {
    const result = await this.database.transaction(async (manager) => {
      const flow = await manager.findOneBy(FlowEntity, { id: input.flowId });
      if (!flow) return undefined;
      const now = new Date();
      const version: FlowVersionEntity = {
        id: newId(),
        flowId: flow.id,
        version: flow.version + 1,
        document: input.document,
        createdAt: now,
      };
      await insertRows(manager, FlowVersionEntity, version);
      Object.assign(flow, {
        name: input.document.name,
        version: version.version,
        currentVersionId: version.id,
        updatedAt: now,
      });
      await updateRows(
        manager,
        FlowEntity,
        { id: flow.id },
        {
          name: flow.name,
          version: flow.version,
          currentVersionId: flow.currentVersionId,
          updatedAt: now,
        },
      );
      const existing = await manager.findBy(HookEntity, { flowId: flow.id });
      const missing = input.triggerNodeIds.filter(
        (nodeId) => !existing.some((hook) => hook.nodeId === nodeId),
      );
      const added = missing.map((nodeId) => ({
        id: newHookId(),
        flowId: flow.id,
        nodeId,
        createdAt: now,
      }));
      if (added.length > 0) await insertRows(manager, HookEntity, added);
      return { flow, version, hooks: [...existing, ...added] };
    });
    // After the commit, so no delivery re-caches the old version meanwhile.
    this.forget(input.flowId);
    return result;
  }

  async get(flowId: string): Promise<FlowWithVersion | undefined> {
    const flow = await this.database.manager.findOneBy(FlowEntity, { id: flowId });
    if (!flow) return undefined;
    const [version, hooks] = await Promise.all([
      this.database.manager.findOneByOrFail(FlowVersionEntity, { id: flow.currentVersionId }),
      this.database.manager.findBy(HookEntity, { flowId }),
    ]);
    return { flow, version, hooks };
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

  async setEnabled(flowId: string, enabled: boolean): Promise<boolean> {
    this.forget(flowId);
    const result = await this.database.transaction(async (manager) => {
      const affected = await updateRows(
        manager,
        FlowEntity,
        { id: flowId },
        {
          enabled,
          updatedAt: new Date(),
        },
      );
      return affected > 0;
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
