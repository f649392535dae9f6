import { Inject, Injectable } from '@nestjs/common';
import {
  advanceRun,
  startRun,
  type ComparedStep,
  type CompiledFlow,
  type DryRunTrace,
  type ExecutionInfo,
  type JsonValue,
  type RunState,
  type SideEffectStandIns,
  type TriggerData,
} from '@hookflow/engine';
import { HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { CredentialsService } from '@hookflow/store';
import { AddressCheck } from './address-check';
import { HeldOutbound, type StandInResponse } from './held-outbound';

/** A runaway flow (a retry loop, a huge split) stops here instead of holding the dry run. */
const MAX_STEPS = 10_000;

export interface DryRunInput {
  flow: CompiledFlow;
  trigger: TriggerData;
  /** A dry-run id, never a real execution's: idempotency keys derive from it. */
  execution: ExecutionInfo;
  /** The recorded run of the delivery: impure nodes answer what they got there. */
  recorded?: readonly ComparedStep[];
  standIn: StandInResponse;
  /** One per dry run of many deliveries: lookups are shared. */
  addresses: AddressCheck;
}

/** Recorded outputs of impure nodes, handed out in the order the nodes ran. */
function standInsFrom(recorded: readonly ComparedStep[] | undefined): SideEffectStandIns {
  const outputs = new Map<string, JsonValue[]>();
  for (const step of recorded ?? []) {
    if (step.status !== 'succeeded') continue;
    const list = outputs.get(step.nodeId) ?? [];
    list.push(step.output ?? null);
    outputs.set(step.nodeId, list);
  }
  const taken = new Map<string, number>();
  return {
    recorded(nodeId) {
      const index = taken.get(nodeId) ?? 0;
      taken.set(nodeId, index + 1);
      return outputs.get(nodeId)?.[index];
    },
  };
}

/**
 * Runs a flow version on one delivery with side effects held back: pure nodes run as usual,
 * impure ones (by their type's `pure` declaration) run against HeldOutbound, which records each
 * request and answers with a stand-in. Nothing is written, counted or sent: the run lives in
 * memory, waits (delay, retry backoff) pass on a clock of its own, and the caller gets a trace.
 */
@Injectable()
export class DryRunner {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  /** An address checker for one dry run (its lookups are cached for that run only). */
  addressCheck(): AddressCheck {
    return new AddressCheck(this.config.outboundAllowlist);
  }

  async run(input: DryRunInput): Promise<DryRunTrace> {
    const held = new HeldOutbound(input.addresses, input.standIn);
    let clock = Date.now();
    const services = {
      http: held,
      mail: held,
      credentials: held.credentials(this.credentials),
      now: () => new Date(clock),
      random: () => 0.5,
      standIns: standInsFrom(input.recorded),
    };
    const steps: ComparedStep[] = [];
    let state: RunState = startRun(input.flow, input.trigger, input.execution);
    for (let count = 0; !state.outcome; count += 1) {
      if (count >= MAX_STEPS) {
        const error = { code: 'dry_run_too_long', message: `stopped after ${MAX_STEPS} steps` };
        return { status: 'failed', error, steps, sideEffects: held.sideEffects() };
      }
      const result = await advanceRun(input.flow, state, services);
      if (result.suspendedUntil !== undefined) {
        clock = Math.max(clock, Date.parse(result.suspendedUntil));
      }
      const step = result.step;
      if (step) {
        held.assign(step.nodeId);
        if (step.status === 'succeeded') {
          steps.push({ nodeId: step.nodeId, status: 'succeeded', output: step.output });
        } else if (step.status === 'failed') {
          steps.push({ nodeId: step.nodeId, status: 'failed', error: step.error });
        }
      }
      state = result.state;
    }
    const outcome = state.outcome;
    return {
      status: outcome.status,
      ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
      steps,
      sideEffects: held.sideEffects(),
    };
  }
}
