import { failure } from '../api-client';
import { UsageError } from '../cli-error';
import { GLOBAL_USAGE, idArgument, intOption, stringOption, type Command } from '../command';
import { emit, shortTime, table } from '../output';

interface RunError {
  code: string;
  message: string;
  nodeId?: string;
}
interface ExecutionSummary {
  id: string;
  flowId: string;
  status: string;
  error: RunError | null;
  createdAt: string;
  finishedAt: string | null;
}
interface Step {
  seq: number;
  nodeId: string;
  nodeType: string;
  status: string;
  port: string | null;
  attempt: number;
  error: RunError | null;
  durationMs: number;
}

const STATUSES = ['pending', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

const LIST_USAGE = `usage: hookflow executions list [--flow <flow id>] [--status <status>] [--limit <n>]

<status>: ${STATUSES.join(', ')}

${GLOBAL_USAGE}
`;

export const executionsList: Command = {
  name: 'executions list',
  summary: 'recent runs, newest first',
  usage: LIST_USAGE,
  options: { flow: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
  async run({ out, api }, args) {
    const query = new URLSearchParams({
      limit: String(intOption(args, 'limit', LIST_USAGE) ?? 20),
    });
    const flow = stringOption(args, 'flow');
    if (flow !== undefined) query.set('flowId', idArgument(flow, 'flow', LIST_USAGE));
    const status = stringOption(args, 'status');
    if (status !== undefined) {
      if (!STATUSES.includes(status)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`, LIST_USAGE);
      }
      query.set('status', status);
    }
    const client = await api();
    const answer = await client.call('GET', `/api/executions?${query}`);
    if (answer.status !== 200) throw failure(answer, 'cannot list executions');
    const page = answer.body as { items: ExecutionSummary[]; total: number };
    emit(out, page, () =>
      table(
        ['ID', 'STATUS', 'CREATED', 'FLOW', 'ERROR'],
        page.items.map((run) => [
          run.id,
          run.status,
          shortTime(run.createdAt),
          run.flowId,
          run.error ? `${run.error.nodeId ?? ''}: ${run.error.message}` : '',
        ]),
        60,
      ),
    );
  },
};

const SHOW_USAGE = `usage: hookflow executions show <execution id>

Status and every step (node, status, port, duration, error); --json adds inputs and outputs.

${GLOBAL_USAGE}
`;

export const executionsShow: Command = {
  name: 'executions show',
  summary: 'one run, step by step',
  usage: SHOW_USAGE,
  positionals: { required: ['<execution id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'execution', SHOW_USAGE);
    const client = await api();
    const answer = await client.call('GET', `/api/executions/${id}`);
    if (answer.status !== 200) throw failure(answer, `cannot show execution ${id}`);
    const run = answer.body as ExecutionSummary & { steps: Step[] };
    emit(out, run, () => {
      const head = [
        `execution ${run.id}: ${run.status}`,
        `flow      ${run.flowId}`,
        `created   ${shortTime(run.createdAt)}   finished ${shortTime(run.finishedAt)}`,
      ];
      if (run.error) {
        head.push(
          `error     ${run.error.code} at ${run.error.nodeId ?? '-'}: ${run.error.message}`,
        );
      }
      const steps = table(
        ['#', 'NODE', 'TYPE', 'STATUS', 'PORT', 'MS', 'ERROR'],
        run.steps.map((step) => [
          String(step.seq),
          step.nodeId,
          step.nodeType,
          step.attempt > 1 ? `${step.status} (try ${step.attempt})` : step.status,
          step.port ?? '-',
          String(step.durationMs),
          step.error?.message ?? '',
        ]),
        60,
      );
      return `${head.join('\n')}\n\n${steps}`;
    });
  },
};

const RETRY_USAGE = `usage: hookflow executions retry <execution id> [--current]

Runs the same trigger input again as a new execution, on the version the run used
(default) or on the flow's current version (--current).

${GLOBAL_USAGE}
`;

export const executionsRetry: Command = {
  name: 'executions retry',
  summary: 'run an execution again with the same input',
  usage: RETRY_USAGE,
  options: { current: { type: 'boolean' } },
  positionals: { required: ['<execution id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'execution', RETRY_USAGE);
    const version = args.values.current === true ? 'current' : 'original';
    const client = await api();
    const answer = await client.call('POST', `/api/executions/${id}/retry`, { version });
    if (answer.status !== 202) throw failure(answer, `cannot retry execution ${id}`);
    const accepted = answer.body as { executionId: string };
    emit(
      out,
      accepted,
      () => `retrying ${id} as execution ${accepted.executionId} (${version} version)`,
    );
  },
};
