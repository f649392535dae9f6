import type { ApiClient } from '../api/client';
import type { ExecutionDetail, ExecutionSummary, JsonObject, Page } from '../api/types';
import type { PreviewContext } from '../panel/jsonata-preview';

/** How many recent runs are searched for one that reached the node. */
const RUNS_SEARCHED = 10;

export interface RunInput {
  context: PreviewContext;
  executionId: string;
  createdAt: string | null;
}

/**
 * The node's input in the newest run that reached it (`GET /api/executions?flowId=` then the
 * run's steps), with that run's trigger request and the outputs of the nodes before it.
 */
export async function lastRunInput(
  client: ApiClient,
  flowId: string,
  nodeId: string,
): Promise<RunInput | undefined> {
  const page = await client.request<Page<ExecutionSummary>>(
    'GET',
    `/api/executions?flowId=${flowId}&limit=${RUNS_SEARCHED}`,
  );
  for (const summary of page.items) {
    const run = await client.request<ExecutionDetail>('GET', `/api/executions/${summary.id}`);
    const step = run.steps.find((candidate) => candidate.nodeId === nodeId);
    if (!step) continue;
    const nodes: JsonObject = {};
    for (const earlier of run.steps) {
      if (earlier.seq < step.seq && earlier.output !== null) nodes[earlier.nodeId] = earlier.output;
    }
    return {
      context: { message: step.input, trigger: run.trigger ?? null, nodes },
      executionId: run.id,
      createdAt: run.createdAt,
    };
  }
  return undefined;
}
