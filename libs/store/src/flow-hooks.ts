import type { EntityManager } from 'typeorm';
import { updateRows } from './rows';
import { FlowEntity } from './entities/flow.entity';
import { HookEntity, type TriggerSample } from './entities/hook.entity';

export interface HookTarget {
  hook: HookEntity;
  flow: FlowEntity;
}

/** A request captured on a trigger's test URL, by the trigger node it belongs to. */
export interface TriggerSampleOfNode {
  nodeId: string;
  sample: TriggerSample;
  sampleAt: Date;
}

/**
 * Hook targets are read on every delivery; they change only when a flow is edited, enabled or
 * disabled. Every process forgets them at once on such a change (the change feed; in queue mode
 * over Redis); the TTL only bounds how long a change message lost in transit can go unnoticed.
 */
const HOOK_CACHE_TTL_MS = 1000;
const HOOK_CACHE_SIZE = 10_000;

/** Which flow a hook belongs to, cached for the hot path. */
export class HookTargetCache {
  private readonly targets = new Map<string, { target: HookTarget; expires: number }>();
  /**
   * Bumped by every change: a target read before a change is not stored after it, so a read
   * racing a disable cannot put the enabled flow back for a whole TTL.
   */
  private generation = 0;

  async find(manager: EntityManager, hookId: string): Promise<HookTarget | undefined> {
    const cached = this.targets.get(hookId);
    if (cached && cached.expires > Date.now()) return cached.target;
    const generation = this.generation;
    const hook = await manager.findOneBy(HookEntity, { id: hookId });
    const flow = hook ? await manager.findOneBy(FlowEntity, { id: hook.flowId }) : null;
    const target = hook && flow ? { hook, flow } : undefined;
    // Unknown hooks are not cached: a scan of random URLs must not fill the memory.
    if (target && generation === this.generation) {
      if (this.targets.size >= HOOK_CACHE_SIZE) this.targets.clear();
      this.targets.set(hookId, { target, expires: Date.now() + HOOK_CACHE_TTL_MS });
    }
    return target;
  }

  clear(): void {
    this.generation += 1;
    this.targets.clear();
  }

  /** Forgets cached hook targets of a flow after it changed. */
  forget(flowId: string): void {
    this.generation += 1;
    for (const [hookId, entry] of this.targets) {
      if (entry.target.flow.id === flowId) this.targets.delete(hookId);
    }
  }
}

/** Keeps a request captured on a trigger's test URL as that trigger's sample data. */
export async function saveTriggerSample(
  manager: EntityManager,
  hookId: string,
  sample: TriggerSample,
  at: Date,
): Promise<void> {
  await updateRows(manager, HookEntity, { id: hookId }, { sample, sampleAt: at });
}

/** The samples captured on a flow's trigger test URLs. */
export async function triggerSamples(
  manager: EntityManager,
  flowId: string,
): Promise<TriggerSampleOfNode[]> {
  const hooks = await manager.find(HookEntity, {
    select: { id: true, nodeId: true, sample: true, sampleAt: true },
    where: { flowId },
  });
  return hooks.flatMap((hook) =>
    hook.sample && hook.sampleAt
      ? [{ nodeId: hook.nodeId, sample: hook.sample, sampleAt: hook.sampleAt }]
      : [],
  );
}
