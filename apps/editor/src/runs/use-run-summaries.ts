import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { ExecutionDetail, ExecutionSummary } from '../api/types';
import { triggerSummary } from './trigger-summary';

/** The live list's first runs: their trigger summaries are fetched, the rest stay blank. */
const SUMMARIZED = 20;

/**
 * What started each run ("payment_intent.succeeded"), by execution id. The live list carries no
 * request, so each run's detail is read once (a run's trigger never changes).
 */
export function useRunSummaries(
  client: ApiClient,
  executions: ExecutionSummary[],
): ReadonlyMap<string, string> {
  const [summaries, setSummaries] = useState<ReadonlyMap<string, string>>(new Map());
  const missing = executions
    .slice(0, SUMMARIZED)
    .map((execution) => execution.id)
    .filter((id) => !summaries.has(id));
  const key = missing.join(',');
  useEffect(() => {
    if (key === '') return undefined;
    let live = true;
    void Promise.all(
      key.split(',').map(async (id): Promise<[string, string]> => {
        const detail = await client.request<ExecutionDetail>('GET', `/api/executions/${id}`);
        return [id, triggerSummary(detail.trigger)];
      }),
    )
      .then((found) => {
        if (live) setSummaries((previous) => new Map([...previous, ...found]));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, key]);
  return summaries;
}
