import type { CompiledFlow } from './compile-flow';
import type { JsonObject, JsonValue } from './json';
import type { JoinBuffer, PendingMessage, RunState } from './run-state';

/**
 * Collecting nodes (merge). A message for one is parked in a join buffer instead of running it:
 * - from a split (it has lineage): until every item of that split has arrived, then the node
 *   runs once with the items in their original order;
 * - otherwise: until a message from every incoming edge has arrived, then the node runs once
 *   with an object keyed by sender. Branches that never deliver (a filter said no) are not
 *   waited for forever: when nothing else can run, the fullest buffer is released as it is.
 */
export function joinKey(message: PendingMessage): string {
  const outer = (message.lineage ?? []).slice(0, -1).map((item) => `${item.splitId}#${item.index}`);
  return [message.nodeId, ...outer].join('|');
}

function incomingSenders(flow: CompiledFlow, nodeId: string): string[] {
  return [
    ...new Set(flow.document.edges.filter((edge) => edge.to === nodeId).map((edge) => edge.from)),
  ];
}

/** The collecting node's input once the buffer is complete (or released). */
function gathered(buffer: JoinBuffer): JsonValue {
  if (buffer.items) {
    return Object.entries(buffer.items)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, value]) => value);
  }
  return (buffer.inputs ?? {}) as JsonObject;
}

function released(buffer: JoinBuffer): PendingMessage {
  return {
    nodeId: buffer.nodeId,
    input: gathered(buffer),
    collected: true,
    ...(buffer.lineage.length > 0 ? { lineage: buffer.lineage } : {}),
  };
}

/** Parks `message` for its collecting node; returns the new state (the node may now be ready). */
export function park(
  flow: CompiledFlow,
  state: RunState,
  message: PendingMessage,
  rest: PendingMessage[],
): RunState {
  const key = joinKey(message);
  const joins = { ...(state.joins ?? {}) };
  const split = message.lineage?.at(-1);
  const previous = joins[key];
  let buffer: JoinBuffer;
  if (split) {
    buffer = {
      nodeId: message.nodeId,
      lineage: (message.lineage ?? []).slice(0, -1),
      items: { ...(previous?.items ?? {}), [String(split.index)]: message.input },
      expected: split.count,
    };
  } else {
    buffer = {
      nodeId: message.nodeId,
      lineage: [],
      inputs: { ...(previous?.inputs ?? {}), [message.from ?? 'unknown']: message.input },
    };
  }
  const complete = buffer.items
    ? Object.keys(buffer.items).length >= (buffer.expected ?? 0)
    : incomingSenders(flow, message.nodeId).every(
        (sender) => buffer.inputs && sender in buffer.inputs,
      );
  if (complete) {
    delete joins[key];
    return withJoins({ ...state, queue: [...rest, released(buffer)] }, joins);
  }
  joins[key] = buffer;
  return withJoins({ ...state, queue: rest }, joins);
}

/** Nothing else can run: let the fullest waiting buffer go with what it has. */
export function releaseOne(state: RunState): RunState {
  const entries = Object.entries(state.joins ?? {});
  if (entries.length === 0) return state;
  const size = (buffer: JoinBuffer) => Object.keys(buffer.items ?? buffer.inputs ?? {}).length;
  const [key, buffer] = entries.reduce((best, entry) =>
    size(entry[1]) > size(best[1]) ? entry : best,
  );
  const joins = { ...(state.joins ?? {}) };
  delete joins[key];
  return withJoins({ ...state, queue: [...state.queue, released(buffer)] }, joins);
}

function withJoins(state: RunState, joins: Record<string, JoinBuffer>): RunState {
  const { joins: _previous, ...rest } = state;
  return Object.keys(joins).length === 0 ? rest : { ...rest, joins };
}

export function hasWaitingJoins(state: RunState): boolean {
  return Object.keys(state.joins ?? {}).length > 0;
}
