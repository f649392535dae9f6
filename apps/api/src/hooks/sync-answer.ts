import type { ExecutionFinished } from '@hookflow/runner';
import { errorBody } from '../errors/error-body';
import type { IntakeAnswer } from './hook-intake.service';

/**
 * What a `when-finished` caller gets: the respond node's answer; else, when the flow has respond
 * nodes but none ran on this path (a filter stopped it), 204; else the last node's output.
 * A failed run answers 500 with the error and the execution id; a run not done within the
 * timeout answers 202 with where to look.
 */
export function syncAnswer(
  executionId: string,
  finished: ExecutionFinished | undefined,
): IntakeAnswer {
  if (!finished) {
    return {
      status: 202,
      body: { executionId, status: 'running', statusUrl: `/api/executions/${executionId}` },
    };
  }
  if (finished.status === 'failed') {
    const message = finished.error
      ? `the flow failed at node "${finished.error.nodeId ?? '?'}": ${finished.error.message}`
      : 'the flow failed';
    return {
      status: 500,
      body: {
        ...errorBody(500, message, [], 'execution_failed'),
        executionId,
      },
    };
  }
  if (finished.response) {
    return {
      status: finished.response.status,
      headers: finished.response.headers,
      body: finished.response.status === 204 ? undefined : finished.response.body,
    };
  }
  if (finished.hasRespondNode) return { status: 204, body: undefined };
  return { status: 200, body: finished.lastOutput ?? null };
}
