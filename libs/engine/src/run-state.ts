import type { CompiledFlow } from './compile-flow';
import { ExpressionError } from './expressions';
import type { JsonObject, JsonValue } from './json';
import type {
  ExecutionInfo,
  HookResponse,
  NodeContext,
  NodeResult,
  TriggerData,
} from './node-type';
import { OutboundError, type OutboundHttp } from './outbound-http';

export const RUN_STATE_FORMAT = 'hookflow.run/v1';

/** A message waiting to be delivered to a node. */
export interface PendingMessage {
  nodeId: string;
  input: JsonValue;
}

export interface RunError {
  code: string;
  message: string;
  nodeId?: string;
  /** JSON pointer into the flow document, when the failure belongs to a parameter. */
  path?: string;
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
} & (
  { status: 'succeeded'; port: string; output: JsonValue } | { status: 'failed'; error: RunError }
);

export interface RunServices {
  http: OutboundHttp;
  now(): Date;
  signal?: AbortSignal;
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

export function isFinished(state: RunState): boolean {
  return state.outcome !== undefined;
}

function describeFailure(error: unknown, nodeId: string): RunError {
  if (error instanceof ExpressionError || error instanceof OutboundError) {
    return { code: error.code, message: error.message, nodeId };
  }
  if (error instanceof NodeFailure) {
    return { code: error.code, message: error.message, nodeId, path: error.path };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'node_failed', message, nodeId };
}

/** A node's own, expected failure (bad response, wrong input shape), with a code for the user. */
export class NodeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'NodeFailure';
  }
}

function createContext(
  flow: CompiledFlow,
  state: RunState,
  message: PendingMessage,
  services: RunServices,
): NodeContext {
  const scope = { trigger: state.trigger, nodes: state.outputs, execution: state.execution };
  const signal = services.signal ?? new AbortController().signal;
  return {
    nodeId: message.nodeId,
    input: message.input,
    trigger: state.trigger,
    execution: state.execution,
    nodes: state.outputs,
    evaluate: (source, input = message.input) =>
      flow.expressions.jsonata(source).evaluate(input, scope),
    render: (source, input = message.input) =>
      flow.expressions.template(source).evaluate(input, scope),
    idempotencyKey: `${state.execution.id}:${message.nodeId}`,
    http: services.http,
    signal,
  };
}

/**
 * Runs the node at the head of the queue and returns the next state with the step record.
 * The run fails at the first failing node; a message on a port without edges ends that path.
 */
export async function advanceRun(
  flow: CompiledFlow,
  state: RunState,
  services: RunServices,
): Promise<{ state: RunState; step: StepRecord }> {
  const [message, ...rest] = state.queue;
  if (!message || state.outcome) throw new Error('advanceRun called on a finished run');
  const compiled = flow.nodes.get(message.nodeId);
  if (!compiled) throw new Error(`node ${message.nodeId} is not in this flow version`);

  const startedAt = services.now().toISOString();
  const base = {
    seq: state.nextSeq,
    nodeId: message.nodeId,
    nodeType: compiled.nodeType.type,
    input: message.input,
    startedAt,
  };
  let result: NodeResult;
  try {
    result = await compiled.nodeType.execute(
      createContext(flow, state, message, services),
      compiled.params,
    );
  } catch (error) {
    const failure = describeFailure(error, message.nodeId);
    return {
      step: { ...base, status: 'failed', error: failure, finishedAt: services.now().toISOString() },
      state: {
        ...state,
        queue: rest,
        nextSeq: state.nextSeq + 1,
        outcome: { status: 'failed', error: failure },
      },
    };
  }

  const children = flow.children.get(message.nodeId)?.get(result.port) ?? [];
  const queue = [...rest, ...children.map((nodeId) => ({ nodeId, input: result.output }))];
  const next: RunState = {
    ...state,
    queue,
    outputs: { ...state.outputs, [message.nodeId]: result.output },
    nextSeq: state.nextSeq + 1,
    response: result.response ?? state.response,
    outcome: queue.length === 0 ? { status: 'succeeded' } : undefined,
  };
  if (next.outcome === undefined) delete next.outcome;
  if (next.response === undefined) delete next.response;
  return {
    state: next,
    step: {
      ...base,
      status: 'succeeded',
      port: result.port,
      output: result.output,
      finishedAt: services.now().toISOString(),
    },
  };
}
