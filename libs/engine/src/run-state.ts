import type { CompiledFlow } from './compile-flow';
import type { JsonObject, JsonValue } from './json';
import type { CredentialSource, ExecutionInfo, HookResponse, TriggerData } from './node-type';
import type { OutboundHttp } from './outbound-http';
import type { OutboundMail } from './outbound-mail';

export const RUN_STATE_FORMAT = 'hookflow.run/v1';

/** Which element of which split a message belongs to (nested splits stack). */
export interface SplitItem {
  splitId: string;
  index: number;
  count: number;
}

/** A message waiting to be delivered to a node. */
export interface PendingMessage {
  nodeId: string;
  input: JsonValue;
  /** The node that sent it (a collecting node keys its inputs by sender). */
  from?: string;
  /** Set on messages that came out of splits, innermost last. */
  lineage?: SplitItem[];
  /** A collecting node's gathered input, ready to run. */
  collected?: true;
  /** 1 for the first try; retries count up. */
  attempt?: number;
  /** Not before this time (ISO 8601): a delay or a retry backoff. */
  wakeAt?: string;
}

export interface RunError {
  code: string;
  message: string;
  nodeId?: string;
  /** JSON pointer into the flow document, when the failure belongs to a parameter. */
  path?: string;
  /** HTTP status behind the failure, when there was one. */
  status?: number;
  /** Which try of the node failed. */
  attempt?: number;
  /** When the node will be tried again (retrying steps only). */
  retryAt?: string;
}

/**
 * The whole state of a run as one serializable value. The runner checkpoints it after every
 * node; any worker can load it and continue. Updates return new values, never mutate.
 */
export interface RunState {
  format: typeof RUN_STATE_FORMAT;
  trigger: TriggerData;
  execution: ExecutionInfo;
  /** Messages not yet processed, in order. The head is the node in flight. */
  queue: PendingMessage[];
  /** `$nodes`: the latest output of every node that has run. */
  outputs: JsonObject;
  /** Sequence number of the next step record. */
  nextSeq: number;
  response?: HookResponse;
  outcome?: RunOutcome;
  /** Collecting nodes (merge) waiting for the rest of their inputs, by join key. */
  joins?: Record<string, JoinBuffer>;
  /**
   * Set by the store, never by the engine: the trigger body (a big payload) is stored once beside
   * the state, so checkpoints write the state without it (see detachBody).
   */
  bodyStored?: true;
  /** Only in a stored state: where the trigger body goes back when it is loaded (attachBody). */
  bodyRefs?: BodyRefs;
}

/** The places of a stored state that held the trigger body itself (not a copy of it). */
export interface BodyRefs {
  /** Nodes whose latest output is the body (the webhook trigger's is). */
  outputs: string[];
  /** Indexes of queued messages whose input is the body. */
  queue: number[];
}

/** What a collecting node has gathered so far for one join. */
export interface JoinBuffer {
  nodeId: string;
  /** Lineage of the joined message (the split being collected is popped). */
  lineage: SplitItem[];
  /** Items of a split, by index; `expected` is the split's size. */
  items?: Record<string, JsonValue>;
  expected?: number;
  /** Messages from incoming edges, by sender. */
  inputs?: Record<string, JsonValue>;
}

export type RunOutcome = { status: 'succeeded' } | { status: 'failed'; error: RunError };

/** What one node run did, as recorded for the user to inspect. */
export type StepRecord = {
  seq: number;
  nodeId: string;
  nodeType: string;
  input: JsonValue;
  startedAt: string;
  finishedAt: string;
  attempt: number;
} & (
  | { status: 'succeeded'; port: string; output: JsonValue }
  | { status: 'failed'; error: RunError }
  /** Failed, and will be tried again at `error.retryAt`. */
  | { status: 'retrying'; error: RunError }
);

export interface RunServices {
  http: OutboundHttp;
  /** SMTP for mail nodes; without it they fail with `mail_unavailable`. */
  mail?: OutboundMail;
  /** Credentials for nodes that use them; without it such nodes fail with a clear error. */
  credentials?: CredentialSource;
  now(): Date;
  /** Uniform in [0, 1): jitter for retry backoff. Tests pass a constant. */
  random?: () => number;
  signal?: AbortSignal;
  /**
   * Dry runs only: the answers impure nodes give instead of their own (see `SideEffectStandIns`).
   * Real runs leave it out and pay one property check per node for it.
   */
  standIns?: SideEffectStandIns;
}

/**
 * A dry run's stand-in answers. A node that is not pure (`NodeTypeDescription.pure`) still runs,
 * against services that record instead of sending; its output is then replaced by the output the
 * same node had in the recorded run of the delivery, when there is one, so downstream nodes see
 * realistic data.
 */
export interface SideEffectStandIns {
  /**
   * Called once for each successful run of an impure node, in run order: the output the recorded
   * run had for that run of `nodeId` (the n-th call for a node is its n-th run, split items
   * included), or undefined when it had none (the node's own answer from the recorder stays).
   */
  recorded(nodeId: string): JsonValue | undefined;
}

export function startRun(
  flow: CompiledFlow,
  trigger: TriggerData,
  execution: ExecutionInfo,
): RunState {
  return {
    format: RUN_STATE_FORMAT,
    trigger,
    execution,
    queue: [{ nodeId: flow.triggerId, input: trigger.body }],
    outputs: {},
    nextSeq: 0,
  };
}

/**
 * The state with some fields changed, built field by field: every state then has the same shape
 * in V8, and copying one costs a few property loads. Spreading states of different shapes (with
 * and without `response`, `joins`...) falls off V8's fast path and cost more than the node runs.
 */
export function changeState(
  state: RunState,
  changes: Partial<Pick<RunState, 'queue' | 'outputs' | 'nextSeq' | 'response' | 'outcome'>>,
): RunState {
  const next: RunState = {
    format: state.format,
    trigger: state.trigger,
    execution: state.execution,
    queue: changes.queue ?? state.queue,
    outputs: changes.outputs ?? state.outputs,
    nextSeq: changes.nextSeq ?? state.nextSeq,
  };
  const response = changes.response ?? state.response;
  if (response !== undefined) next.response = response;
  const outcome = changes.outcome ?? state.outcome;
  if (outcome !== undefined) next.outcome = outcome;
  if (state.joins !== undefined) next.joins = state.joins;
  if (state.bodyStored !== undefined) next.bodyStored = state.bodyStored;
  if (state.bodyRefs !== undefined) next.bodyRefs = state.bodyRefs;
  return next;
}

export function isFinished(state: RunState): boolean {
  return state.outcome !== undefined;
}

/**
 * The state to store when its trigger body is kept elsewhere: the body, and every output and
 * queued input that is that very value, become null, and `bodyRefs` says where they were. Big
 * payloads are then written once, not again at every checkpoint.
 */
export function detachBody(state: RunState): RunState {
  const body = state.trigger.body;
  const refs: BodyRefs = { outputs: [], queue: [] };
  const outputs: JsonObject = {};
  for (const [nodeId, output] of Object.entries(state.outputs)) {
    if (output === body) refs.outputs.push(nodeId);
    outputs[nodeId] = output === body ? null : output;
  }
  const queue = state.queue.map((message, index) => {
    if (message.input !== body) return message;
    refs.queue.push(index);
    return { ...message, input: null };
  });
  const { bodyStored: _stored, ...rest } = state;
  return { ...rest, trigger: { ...state.trigger, body: null }, outputs, queue, bodyRefs: refs };
}

/** The inverse of detachBody: the stored state with its trigger body back in every place. */
export function attachBody(stored: RunState, body: JsonValue): RunState {
  const refs = stored.bodyRefs ?? { outputs: [], queue: [] };
  const outputs: JsonObject = { ...stored.outputs };
  for (const nodeId of refs.outputs) outputs[nodeId] = body;
  const queued = new Set(refs.queue);
  const queue = stored.queue.map((message, index) =>
    queued.has(index) ? { ...message, input: body } : message,
  );
  const { bodyRefs: _refs, ...rest } = stored;
  return { ...rest, trigger: { ...stored.trigger, body }, outputs, queue, bodyStored: true };
}
