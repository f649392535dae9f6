import {
  advanceRun,
  compileFlow,
  FLOW_FORMAT,
  isFinished,
  startRun,
  type CompiledFlow,
  type CredentialValue,
  type ExecutionInfo,
  type JsonValue,
  type OutboundHttp,
  type OutboundMail,
  type OutboundRequest,
  type OutboundResponse,
  type RunState,
  type StepRecord,
  type TriggerData,
} from '@hookflow/engine';
import { nodeRegistry } from '../index';

export const NOW = new Date('2024-05-01T12:00:00.000Z');

export const TRIGGER: TriggerData = {
  method: 'POST',
  path: '/hooks/h1',
  headers: {},
  query: {},
  body: { customer: 'cus_42', cents: 25_000, email: 'ada@example.test', name: 'Ada' },
  receivedAt: NOW.toISOString(),
};

/** Records requests and answers each as `answer` says (200 `{}` by default; it may throw). */
export class FakeHttp implements OutboundHttp {
  readonly requests: OutboundRequest[] = [];

  constructor(
    private readonly answer: (request: OutboundRequest) => OutboundResponse = () => ({
      status: 200,
      headers: {},
      body: '{}',
    }),
  ) {}

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    this.requests.push(request);
    return this.answer(request);
  }
}

export interface ActionRun {
  state: RunState;
  /** Every step of the action node (retries included), in order. */
  steps: StepRecord[];
  /** The last step of the action node. */
  step: StepRecord;
}

export interface ActionOptions {
  type: string;
  params: Record<string, unknown>;
  /** The credential the node names (`credential: "cred"`); none when undefined. */
  credential?: CredentialValue;
  http?: OutboundHttp;
  mail?: OutboundMail;
  retry?: { maxAttempts: number };
  /** The webhook body the run starts with (TRIGGER's body by default). */
  body?: JsonValue;
}

/** An OutboundHttp for flows that must not call out: any request fails the test. */
export const NO_HTTP: OutboundHttp = {
  request: () => Promise.reject(new Error('this flow must not call out')),
};

/** Compiles a flow document of a spec, or throws with every problem. */
export function compileTestFlow(document: unknown): CompiledFlow {
  const compiled = compileFlow(document, nodeRegistry);
  if (!compiled.ok) throw new Error(`flow does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.flow;
}

export interface FlowRunOptions {
  http?: OutboundHttp;
  mail?: OutboundMail;
  /** Credentials by name. */
  credentials?: Record<string, CredentialValue>;
  /** The trigger the run starts with (TRIGGER by default); `body` replaces only its body. */
  trigger?: TriggerData;
  body?: JsonValue;
  execution?: ExecutionInfo;
}

export interface FlowRun {
  state: RunState;
  /** Every step, in order. */
  steps: StepRecord[];
}

/**
 * The one run loop of the node specs: runs a compiled flow with fakes until it ends or waits
 * (a delay, a retry: the clock stands still at NOW), at most 1,000 steps.
 */
export async function runFlow(flow: CompiledFlow, options: FlowRunOptions = {}): Promise<FlowRun> {
  const services = {
    http: options.http ?? new FakeHttp(),
    ...(options.mail ? { mail: options.mail } : {}),
    credentials: {
      resolve: async (name: string) => options.credentials?.[name],
    },
    now: () => NOW,
    random: () => 0.5,
  };
  const base = options.trigger ?? TRIGGER;
  const trigger = options.body === undefined ? base : { ...base, body: options.body };
  const execution = options.execution ?? { id: 'exec-7', flowId: 'f', versionId: 'v', attempt: 1 };
  let state = startRun(flow, trigger, execution);
  const steps: StepRecord[] = [];
  for (let guard = 0; !isFinished(state); guard += 1) {
    if (guard >= 1000) throw new Error('the run did not finish in 1,000 steps');
    const next = await advanceRun(flow, state, services);
    if (next.step) steps.push(next.step);
    state = next.state;
    if (next.suspendedUntil !== undefined) break;
  }
  return { state, steps };
}

/**
 * Runs `hook -> action` with fakes until the run ends or waits for a retry (the clock stands
 * still), and returns the action's steps.
 */
export async function runAction(options: ActionOptions): Promise<ActionRun> {
  const flow = compileTestFlow({
    format: FLOW_FORMAT,
    name: `${options.type} spec`,
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: {} },
      {
        id: 'notify',
        type: options.type,
        params: options.params,
        credential: 'cred',
        ...(options.retry
          ? { retry: { initialDelayMs: 1000, maxDelayMs: 60_000, factor: 2, ...options.retry } }
          : {}),
      },
    ],
    edges: [{ from: 'hook', to: 'notify' }],
  });
  const run = await runFlow(flow, {
    ...(options.http ? { http: options.http } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.credential ? { credentials: { cred: options.credential } } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const steps = run.steps.filter((step) => step.nodeId === 'notify');
  const step = steps.at(-1);
  if (!step) throw new Error('the action node did not run');
  return { state: run.state, steps, step };
}

/** Everything a run recorded, as the JSON that would be stored. */
export function recorded(run: ActionRun): string {
  return JSON.stringify({ state: run.state, steps: run.steps });
}

export function sentJson(request: OutboundRequest): JsonValue {
  if (request.body === undefined) throw new Error('no body was sent');
  return JSON.parse(request.body) as JsonValue;
}
