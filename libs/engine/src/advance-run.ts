import type { CompiledFlow, CompiledNode } from './compile-flow';
import { DEFAULT_PORT, ERROR_PORT } from './flow-document';
import { hasWaitingJoins, park, releaseOne } from './joins';
import { exceedsJsonSize, type JsonValue } from './json';
import { isoTime } from './iso-time';
import { NodeFailure } from './node-failure';
import { RunNodeContext } from './node-context';
import type { NodeResult, NodeSuspension } from './node-type';
import { classifyFailure, retryDelayMs } from './retry-policy';
import {
  changeState,
  type PendingMessage,
  type RunServices,
  type RunState,
  type SideEffectStandIns,
  type StepRecord,
} from './run-state';

/**
 * What one call to `advanceRun` did: ran a node (`step`), or found every pending message waiting
 * (`suspendedUntil`: persist the state and come back then; no worker sleeps on a timer).
 */
export interface AdvanceResult {
  state: RunState;
  step?: StepRecord;
  suspendedUntil?: string;
}

/** The messages a node's result sends to its children, on every port it names. */
function emissions(
  flow: CompiledFlow,
  message: PendingMessage,
  ports: readonly string[],
  output: JsonValue,
  items?: readonly JsonValue[],
): PendingMessage[] {
  const byPort = flow.children.get(message.nodeId);
  const children =
    ports.length === 1
      ? (byPort?.get(ports[0]) ?? [])
      : [...new Set(ports.flatMap((port) => byPort?.get(port) ?? []))];
  const lineage = message.lineage ?? [];
  if (items) {
    return children.flatMap((nodeId) =>
      items.map((item, index) => ({
        from: message.nodeId,
        nodeId,
        input: item,
        lineage: [...lineage, { splitId: message.nodeId, index, count: items.length }],
      })),
    );
  }
  return children.map((nodeId) => {
    const emitted: PendingMessage = { from: message.nodeId, nodeId, input: output };
    if (lineage.length > 0) emitted.lineage = lineage;
    return emitted;
  });
}

/** The run is over when nothing is queued and no collecting node is still waiting. */
function settle(state: RunState): RunState {
  const done = state.queue.length === 0 && !hasWaitingJoins(state);
  // A new object rather than `delete` on an old one: deleting a property turns an object into a
  // slow dictionary, and every later spread of the state pays for it.
  return done && !state.outcome ? changeState(state, { outcome: { status: 'succeeded' } }) : state;
}

/** The first message that may run now; messages still waiting keep their place. */
function nextReady(queue: readonly PendingMessage[], now: Date): number {
  return queue.findIndex(
    (message) => message.wakeAt === undefined || Date.parse(message.wakeAt) <= now.getTime(),
  );
}

function isSuspension(result: NodeResult | NodeSuspension): result is NodeSuspension {
  return 'suspendUntil' in result;
}

/** A dry run's impure node answers what the recorded run got, when there was a recorded answer. */
function standIn(standIns: SideEffectStandIns, nodeId: string, result: NodeResult): NodeResult {
  const recorded = standIns.recorded(nodeId);
  return recorded === undefined ? result : { ...result, output: recorded };
}

/**
 * Whether the next `advanceRun` may run a node that is not pure (see `NodeTypeDescription.pure`):
 * the runner checkpoints before it, so a crash repeats only that node. Parking a message at a
 * collecting node, releasing a join and suspending run no node and need no checkpoint.
 */
export function nextStepHasSideEffects(flow: CompiledFlow, state: RunState, now: Date): boolean {
  if (state.outcome || state.queue.length === 0) return false;
  const index = nextReady(state.queue, now);
  // Messages ahead of the ready one are waiting, but may come due before advanceRun looks at
  // the clock again: they count as next too.
  const last = index === -1 ? state.queue.length - 1 : index;
  for (let position = 0; position <= last; position += 1) {
    const message = state.queue[position];
    const compiled = flow.nodes.get(message.nodeId);
    if (!compiled) continue;
    if (compiled.nodeType.collects && !message.collected) continue;
    if (compiled.nodeType.pure !== true) return true;
  }
  return false;
}

/**
 * Runs the first ready message's node and returns the next state with its step record. The run
 * fails at the first failing node (after its retries); a port without edges ends that path.
 */
export async function advanceRun(
  flow: CompiledFlow,
  state: RunState,
  services: RunServices,
): Promise<AdvanceResult> {
  if (state.outcome) throw new Error('advanceRun called on a finished run');
  if (state.queue.length === 0) {
    if (!hasWaitingJoins(state)) throw new Error('advanceRun called on a finished run');
    // Nothing else can arrive: a collecting node goes ahead with what it has.
    return { state: releaseOne(state) };
  }
  const now = services.now();
  const index = nextReady(state.queue, now);
  if (index === -1) {
    const until = state.queue
      .map((message) => message.wakeAt as string)
      .reduce((earliest, wakeAt) =>
        Date.parse(wakeAt) < Date.parse(earliest) ? wakeAt : earliest,
      );
    return { state, suspendedUntil: until };
  }
  const message = state.queue[index];
  const rest =
    index === 0
      ? state.queue.slice(1)
      : [...state.queue.slice(0, index), ...state.queue.slice(index + 1)];
  const compiled = flow.nodes.get(message.nodeId);
  if (!compiled) throw new Error(`node ${message.nodeId} is not in this flow version`);
  if (compiled.nodeType.collects && !message.collected) {
    return { state: settle(park(flow, state, message, rest)) };
  }

  const attempt = message.attempt ?? 1;
  const base = {
    seq: state.nextSeq,
    nodeId: message.nodeId,
    nodeType: compiled.nodeType.type,
    input: message.input,
    attempt,
    startedAt: isoTime(now),
  };
  let result: NodeResult | NodeSuspension;
  try {
    result = await compiled.nodeType.execute(
      new RunNodeContext(flow, state, message, services, compiled),
      compiled.params,
    );
  } catch (error) {
    return failed({ flow, compiled, state, message, rest, base, error, services });
  }

  if (isSuspension(result)) {
    const queue = [...state.queue];
    queue[index] = { ...message, wakeAt: result.suspendUntil };
    const next = { ...state, queue };
    return nextReady(queue, services.now()) === -1
      ? { state: next, suspendedUntil: result.suspendUntil }
      : { state: next };
  }

  if (services.standIns !== undefined && compiled.nodeType.pure !== true) {
    result = standIn(services.standIns, message.nodeId, result);
  }

  const tooLarge = outputTooLarge(flow, message, result);
  if (tooLarge)
    return failed({ flow, compiled, state, message, rest, base, error: tooLarge, services });

  const ports = typeof result.port === 'string' ? [result.port] : result.port;
  const emitted = emissions(flow, message, ports, result.output, result.items);
  const outputs = { ...state.outputs };
  outputs[message.nodeId] = result.output;
  return {
    state: settle(
      changeState(state, {
        queue: rest.length === 0 ? emitted : rest.concat(emitted),
        outputs,
        nextSeq: state.nextSeq + 1,
        ...(result.response !== undefined ? { response: result.response } : {}),
      }),
    ),
    step: {
      seq: base.seq,
      nodeId: base.nodeId,
      nodeType: base.nodeType,
      input: base.input,
      attempt: base.attempt,
      startedAt: base.startedAt,
      status: 'succeeded',
      port: ports.length === 1 ? ports[0] : ports.join(','),
      output: result.output,
      finishedAt: isoTime(services.now()),
    },
  };
}

/**
 * A node's output (and its answer to the caller) is stored with the run and read back whole:
 * one bigger than `maxOutputChars` fails the node. A message passed on unchanged was judged
 * where it was made, so it is not measured again.
 */
function outputTooLarge(
  flow: CompiledFlow,
  message: PendingMessage,
  result: NodeResult,
): NodeFailure | undefined {
  const limit = flow.expressions.limits.maxOutputChars;
  const measure = (value: JsonValue | undefined) =>
    value !== undefined && value !== message.input && exceedsJsonSize(value, limit);
  const answer = result.response?.body;
  if (!measure(result.output) && (answer === result.output || !measure(answer))) return undefined;
  return new NodeFailure(
    'output_too_large',
    `node output is larger than ${limit} characters of JSON (HOOKFLOW_MAX_OUTPUT_BYTES)`,
  );
}

interface FailedInput {
  flow: CompiledFlow;
  compiled: CompiledNode;
  state: RunState;
  message: PendingMessage;
  rest: PendingMessage[];
  base: Omit<StepRecord, 'status' | 'finishedAt' | 'port' | 'output' | 'error'>;
  error: unknown;
  services: RunServices;
}

/** Schedules a retry when the policy allows it, else fails the run naming the node. */
function failed({
  flow,
  compiled,
  state,
  message,
  rest,
  base,
  error,
  services,
}: FailedInput): AdvanceResult {
  const verdict = classifyFailure(error, message.nodeId);
  const attempt = message.attempt ?? 1;
  const finishedAt = services.now();
  const failure = { ...verdict.error, attempt };
  const policy = compiled.retry;
  if (verdict.retryable && policy && attempt < policy.maxAttempts) {
    const delay = retryDelayMs(
      policy,
      attempt + 1,
      services.random ?? Math.random,
      verdict.retryAfterMs,
    );
    const retryAt = new Date(finishedAt.getTime() + delay).toISOString();
    return {
      state: {
        ...state,
        queue: [...rest, { ...message, attempt: attempt + 1, wakeAt: retryAt }],
        nextSeq: state.nextSeq + 1,
      },
      step: {
        ...base,
        status: 'retrying',
        error: { ...failure, retryAt },
        finishedAt: finishedAt.toISOString(),
      },
    };
  }
  const step: StepRecord = {
    ...base,
    status: 'failed',
    error: failure,
    finishedAt: finishedAt.toISOString(),
  };
  const onError = compiled.node.onError ?? 'stop';
  if (onError !== 'stop') {
    // The failure becomes data: `{ error, input }` goes on (main) or out of the error port.
    const output = { error: { ...failure }, input: message.input } as JsonValue;
    const port = onError === 'route' ? ERROR_PORT : DEFAULT_PORT;
    return {
      state: settle({
        ...state,
        queue: [...rest, ...emissions(flow, message, [port], output)],
        outputs: { ...state.outputs, [message.nodeId]: output },
        nextSeq: state.nextSeq + 1,
      }),
      step,
    };
  }
  return {
    state: {
      ...state,
      queue: rest,
      nextSeq: state.nextSeq + 1,
      outcome: { status: 'failed', error: failure },
    },
    step,
  };
}
