import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { ExecutionSummary, FlowSummary, Page } from '../api/types';

export interface FlowStats {
  lastRun?: ExecutionSummary;
  failures: number;
}

/** Last run and failure count per flow, from the executions API. */
export function useFlowStats(client: ApiClient, flows: FlowSummary[]): Map<string, FlowStats> {
  const [stats, setStats] = useState(new Map<string, FlowStats>());
  useEffect(() => {
    let live = true;
    void Promise.all(
      flows.map(async (flow): Promise<[string, FlowStats]> => {
        const base = `/api/executions?flowId=${flow.id}&limit=1`;
        const [last, failed] = await Promise.all([
          client.request<Page<ExecutionSummary>>('GET', base),
          client.request<Page<ExecutionSummary>>('GET', `${base}&status=failed`),
        ]);
        return [flow.id, { lastRun: last.items[0], failures: failed.total }];
      }),
    )
      .then((entries) => live && setStats(new Map(entries)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, flows]);
  return stats;
}
