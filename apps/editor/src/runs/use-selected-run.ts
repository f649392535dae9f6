import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { ExecutionDetail, ExecutionSummary } from '../api/types';

/** The opened run with its steps, refetched whenever its status changes in the live list. */
export function useSelectedRun(client: ApiClient, executions: ExecutionSummary[]) {
  const [selectedId, setSelectedId] = useState<string>();
  const [detail, setDetail] = useState<ExecutionDetail>();
  const status = executions.find((execution) => execution.id === selectedId)?.status;
  useEffect(() => {
    if (!selectedId) {
      setDetail(undefined);
      return;
    }
    let live = true;
    client
      .request<ExecutionDetail>('GET', `/api/executions/${selectedId}`)
      .then((next) => live && setDetail(next))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, selectedId, status]);
  return { selected: detail, select: setSelectedId };
}
