import type { RunState } from '@hookflow/engine';
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
  const status = answerStatus(finished);
  if (finished.status === 'failed') {
    const message = finished.error
      ? `the flow failed at node "${finished.error.nodeId ?? '?'}": ${finished.error.message}`
      : 'the flow failed';
    return {
      status,
      body: {
        ...errorBody(500, message, [], 'execution_failed'),
        executionId,
      },
    };
  }
  if (finished.response) {
    return {
      status,
      headers: finished.response.headers,
      body: status === 204 ? undefined : finished.response.body,
    };
  }
  if (finished.hasRespondNode) return { status, body: undefined };
  return { status, body: finished.lastOutput ?? null };
}

type Finish = Pick<ExecutionFinished, 'status' | 'response' | 'hasRespondNode'>;

/** The status syncAnswer answers a finished run with (one place, for it and the delivery log). */
function answerStatus(finished: Finish): number {
  if (finished.status === 'failed') return 500;
  if (finished.response) return finished.response.status;
  return finished.hasRespondNode ? 204 : 200;
}

/**
 * The status syncAnswer will answer for the run in `state`, from the state itself (the runner
 * publishes the same fields from it); undefined while the run is not over.
 */
export function answeredStatusOf(state: RunState, hasRespondNode: boolean): number | undefined {
  if (!state.outcome) return undefined;
  return answerStatus({
    status: state.outcome.status,
    ...(state.response ? { response: state.response } : {}),
    hasRespondNode,
  });
}
