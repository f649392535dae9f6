import { diffJson, sameJson, type ValueChange } from './flow-diff';
import type { JsonObject, JsonValue } from './json';
import type { RunError } from './run-state';

/** One node run as a comparison sees it: recorded (`execution_steps`) or from a dry run. */
export interface ComparedStep {
  nodeId: string;
  status: 'succeeded' | 'failed';
  output?: JsonValue;
  error?: RunError;
}

/**
 * A request an impure node would have made in a dry run: what the recorder got instead of the
 * network (secrets redacted). `occurrence` counts the node's requests (split items, a retried
 * 401, several calls of one node) from 0.
 */
export interface HeldSideEffect {
  nodeId: string;
  occurrence: number;
  kind: 'http' | 'mail';
  request: JsonObject;
  /** Why the address check would have refused it (the run then fails as it really would). */
  blocked?: string;
}

/** What a dry run of one delivery did. */
export interface DryRunTrace {
  status: 'succeeded' | 'failed';
  error?: RunError;
  steps: ComparedStep[];
  sideEffects: HeldSideEffect[];
}

export type NodeVerdict = 'equal' | 'changed' | 'newly_reached' | 'no_longer_reached' | 'failed';
export type SideEffectVerdict = 'equal' | 'changed' | 'new' | 'gone';
export type DeliveryVerdict = 'unchanged' | 'changed' | 'failed';

export interface NodeComparison {
  nodeId: string;
  verdict: NodeVerdict;
  /** The baseline's output (a list when the node ran more than once); absent when equal. */
  before?: JsonValue;
  after?: JsonValue;
  /** Leaf changes from before to after (JSON Pointers), for `changed`. */
  diff?: ValueChange[];
  error?: RunError;
}

export interface SideEffectComparison {
  nodeId: string;
  occurrence: number;
  kind: 'http' | 'mail';
  verdict: SideEffectVerdict;
  before?: JsonObject;
  after?: JsonObject;
  diff?: ValueChange[];
  blocked?: string;
}

export interface DeliveryComparison {
  verdict: DeliveryVerdict;
  /** The dry run's failure, when it failed. */
  error?: RunError;
  nodes: NodeComparison[];
  sideEffects: SideEffectComparison[];
}

export interface ComparisonInput {
  /** Node runs of the baseline: the recorded run of the delivery, or a dry run of the published version. */
  baselineSteps: readonly ComparedStep[];
  /** Requests the published version would make (a dry run of it: real runs do not record them). */
  baselineSideEffects: readonly HeldSideEffect[];
  draft: DryRunTrace;
}

interface NodeRuns {
  outputs: JsonValue[];
  error?: RunError;
}

function byNode(steps: readonly ComparedStep[]): Map<string, NodeRuns> {
  const runs = new Map<string, NodeRuns>();
  for (const step of steps) {
    let entry = runs.get(step.nodeId);
    if (!entry) {
      entry = { outputs: [] };
      runs.set(step.nodeId, entry);
    }
    if (step.status === 'succeeded') entry.outputs.push(step.output ?? null);
    else if (step.error) entry.error = step.error;
  }
  return runs;
}

/** A node that ran once is compared by its output; one that ran per item, by the list. */
function outputOf(runs: NodeRuns): JsonValue {
  return runs.outputs.length === 1 ? runs.outputs[0] : runs.outputs;
}

function compareNode(nodeId: string, before?: NodeRuns, after?: NodeRuns): NodeComparison {
  if (after?.error) {
    return {
      nodeId,
      verdict: 'failed',
      error: after.error,
      ...(before ? { before: outputOf(before) } : {}),
    };
  }
  if (!after) return { nodeId, verdict: 'no_longer_reached', before: outputOf(before as NodeRuns) };
  if (!before) return { nodeId, verdict: 'newly_reached', after: outputOf(after) };
  const beforeOutput = outputOf(before);
  const afterOutput = outputOf(after);
  if (!before.error && sameJson(beforeOutput, afterOutput)) return { nodeId, verdict: 'equal' };
  return {
    nodeId,
    verdict: 'changed',
    before: beforeOutput,
    after: afterOutput,
    diff: diffJson(beforeOutput, afterOutput),
  };
}

const sideEffectKey = (effect: HeldSideEffect): string => `${effect.nodeId}#${effect.occurrence}`;

function compareSideEffect(before?: HeldSideEffect, after?: HeldSideEffect): SideEffectComparison {
  const effect = (after ?? before) as HeldSideEffect;
  const head = {
    nodeId: effect.nodeId,
    occurrence: effect.occurrence,
    kind: effect.kind,
    ...(after?.blocked !== undefined ? { blocked: after.blocked } : {}),
  };
  if (!before) return { ...head, verdict: 'new', after: (after as HeldSideEffect).request };
  if (!after) return { ...head, verdict: 'gone', before: before.request };
  if (sameJson(before.request, after.request)) return { ...head, verdict: 'equal' };
  return {
    ...head,
    verdict: 'changed',
    before: before.request,
    after: after.request,
    diff: diffJson(before.request, after.request),
  };
}

/**
 * Compares a dry run of a draft with a baseline: per node, its output equal / changed / newly
 * reached / no longer reached / failed; per request the draft would send, equal / changed / new /
 * gone. A delivery is `failed` when the dry run failed, `changed` when anything is not equal.
 */
export function compareDryRun(input: ComparisonInput): DeliveryComparison {
  const before = byNode(input.baselineSteps);
  const after = byNode(input.draft.steps);
  const nodeIds = [...new Set([...after.keys(), ...before.keys()])];
  const nodes = nodeIds.map((nodeId) => compareNode(nodeId, before.get(nodeId), after.get(nodeId)));

  const beforeEffects = new Map(input.baselineSideEffects.map((e) => [sideEffectKey(e), e]));
  const afterEffects = new Map(input.draft.sideEffects.map((e) => [sideEffectKey(e), e]));
  const keys = [...new Set([...afterEffects.keys(), ...beforeEffects.keys()])];
  const sideEffects = keys.map((key) =>
    compareSideEffect(beforeEffects.get(key), afterEffects.get(key)),
  );

  const verdict: DeliveryVerdict =
    input.draft.status === 'failed'
      ? 'failed'
      : nodes.some((node) => node.verdict !== 'equal') ||
          sideEffects.some((effect) => effect.verdict !== 'equal')
        ? 'changed'
        : 'unchanged';
  return {
    verdict,
    ...(input.draft.error ? { error: input.draft.error } : {}),
    nodes,
    sideEffects,
  };
}
