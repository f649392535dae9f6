import {
  advanceRun,
  compileFlow,
  FLOW_FORMAT,
  isFinished,
  startRun,
  type CredentialValue,
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

/**
 * Runs `hook -> action` with fakes until the run ends or waits for a retry (the clock stands
 * still), and returns the action's steps.
 */
export async function runAction(options: ActionOptions): Promise<ActionRun> {
  const compiled = compileFlow(
    {
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
    },
    nodeRegistry,
  );
  if (!compiled.ok) throw new Error(`flow does not compile: ${JSON.stringify(compiled.problems)}`);
  const flow = compiled.flow;
  const services = {
    http: options.http ?? new FakeHttp(),
    ...(options.mail ? { mail: options.mail } : {}),
    credentials: {
      resolve: async (name: string) => (name === 'cred' ? options.credential : undefined),
    },
    now: () => NOW,
    random: () => 0.5,
  };
  const trigger = options.body === undefined ? TRIGGER : { ...TRIGGER, body: options.body };
  let state = startRun(flow, trigger, { id: 'exec-7', flowId: 'f', versionId: 'v', attempt: 1 });
  const steps: StepRecord[] = [];
  while (!isFinished(state)) {
    const next = await advanceRun(flow, state, services);
    if (next.step?.nodeId === 'notify') steps.push(next.step);
    state = next.state;
    if (next.suspendedUntil !== undefined) break;
  }
  const step = steps.at(-1);
  if (!step) throw new Error('the action node did not run');
  return { state, steps, step };
}

/** Everything a run recorded, as the JSON that would be stored. */
export function recorded(run: ActionRun): string {
  return JSON.stringify({ state: run.state, steps: run.steps });
}

export function sentJson(request: OutboundRequest): JsonValue {
  if (request.body === undefined) throw new Error('no body was sent');
  return JSON.parse(request.body) as JsonValue;
}
