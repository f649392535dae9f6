import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChangeFeed } from '@hookflow/common';
import { In } from 'typeorm';
import { Database } from './database';
import { updateRows } from './rows';
import { FlowEntity } from './entities/flow.entity';
import { FlowVersionEntity } from './entities/flow-version.entity';
import { HookEntity, type TriggerSample } from './entities/hook.entity';
import { ExecutionEntity } from './entities/execution.entity';
import { ExecutionStepEntity } from './entities/execution-step.entity';
import {
  createFlow,
  listVersions,
  publishVersion,
  saveVersion,
  versionByNumber,
  versionNumbers,
  type CreateFlowInput,
  type FlowWithVersion,
  type SaveVersionInput,
  type VersionAuthorship,
  type VersionConflict,
  type VersionSummary,
} from './flow-versions';
import {
  HookTargetCache,
  saveTriggerSample,
  triggerSamples,
  type HookTarget,
  type TriggerSampleOfNode,
} from './flow-hooks';

export type {
  CreateFlowInput,
  FlowWithVersion,
  HookTarget,
  SaveVersionInput,
  TriggerSampleOfNode,
  VersionAuthorship,
  VersionConflict,
  VersionSummary,
};

/** Saves without a base version retry when another save wins the race meanwhile. */
const UNBASED_SAVE_ATTEMPTS = 5;

/**
 * Flows with their versions and hooks. Saving and publishing versions lives in flow-versions.ts,
 * the hook-target cache and trigger samples in flow-hooks.ts; this class keeps the transactions
 * and forgets cached hook targets whenever a flow changes.
 */
@Injectable()
export class FlowsRepository {
  private readonly hookTargets = new HookTargetCache();
  private readonly changes: ChangeFeed;

  constructor(
    @Inject(Database) private readonly database: Database,
    @Optional() @Inject(ChangeFeed) changes?: ChangeFeed,
  ) {
    this.changes = changes ?? new ChangeFeed();
    this.changes.subscribe((change) => {
      if (change.kind === 'flow') this.hookTargets.forget(change.flowId);
      if (change.kind === 'everything') this.hookTargets.clear();
    });
  }

  /**
   * Creates the flow, its first version (published) and the hooks of its trigger nodes,
   * atomically. `flowId` and `hookIds` (trigger node id -> hook id) keep the ids of an imported
   * flow; the caller checked they are free (a race ends in a unique violation).
   */
  async create(input: CreateFlowInput): Promise<FlowWithVersion> {
    return this.database.transaction((manager) => createFlow(manager, input));
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
    const published = await this.database.transaction((manager) =>
      publishVersion(manager, flowId, versionNumber),
    );
    this.forget(flowId);
    return published ? this.get(flowId) : undefined;
  }

  /** Versions newest first, without their documents. */
  listVersions(
    flowId: string,
    options: { limit: number; offset: number },
  ): Promise<{ items: VersionSummary[]; total: number }> {
    return listVersions(this.database.manager, flowId, options);
  }

  /** A version by its number within the flow. */
  getVersionByNumber(
    flowId: string,
    versionNumber: number,
  ): Promise<FlowVersionEntity | undefined> {
    return versionByNumber(this.database.manager, flowId, versionNumber);
  }

  /** Version numbers by version id (executions show which version of their flow they ran). */
  versionNumbers(versionIds: string[]): Promise<Map<string, number>> {
    return versionNumbers(this.database.manager, versionIds);
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
    await this.database.transaction((manager) => saveTriggerSample(manager, hookId, sample, at));
  }

  sample(flowId: string): Promise<TriggerSampleOfNode[]> {
    return triggerSamples(this.database.manager, flowId);
  }

  /** The hot path's one lookup: which flow a hook belongs to. */
  findHookTarget(hookId: string): Promise<HookTarget | undefined> {
    return this.hookTargets.find(this.database.manager, hookId);
  }

  /** Forgets cached hook targets of a flow after it changed, here and in every other process. */
  private forget(flowId: string): void {
    this.changes.publish({ kind: 'flow', flowId });
  }
}
