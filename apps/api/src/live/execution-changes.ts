import type { ExecutionEntity } from '@hookflow/store';

export interface ExecutionEvent {
  id: string;
  flowId: string;
  status: string;
  attempt: number;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function presentExecutionEvent(execution: ExecutionEntity): ExecutionEvent {
  return {
    id: execution.id,
    flowId: execution.flowId,
    status: execution.status,
    attempt: execution.attempt,
    createdAt: iso(execution.createdAt),
    startedAt: iso(execution.startedAt),
    finishedAt: iso(execution.finishedAt),
  };
}

/**
 * What changed since the last look: executions not seen before or whose status moved.
 * `seen` (id -> status) is updated in place; it only keeps ids still in the window.
 */
export function executionChanges(
  seen: Map<string, string>,
  current: readonly ExecutionEvent[],
): ExecutionEvent[] {
  const changed = current.filter((execution) => seen.get(execution.id) !== execution.status);
  const window = new Set(current.map((execution) => execution.id));
  for (const id of [...seen.keys()]) if (!window.has(id)) seen.delete(id);
  for (const execution of changed) seen.set(execution.id, execution.status);
  return changed;
}

/** One server-sent event frame. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
