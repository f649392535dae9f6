import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { DryRunView } from './dry-run-types';

const POLL_MS = 300;

export interface DryRunState {
  view?: DryRunView;
  error?: string;
  running: boolean;
  start(last: number): Promise<void>;
}

/** Starts a dry run of the flow's latest version and follows it until it is over. */
export function useDryRun(client: ApiClient, flowId: string): DryRunState {
  const [view, setView] = useState<DryRunView>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const start = useCallback(
    async (last: number) => {
      setError(undefined);
      setRunning(true);
      try {
        const started = await client.request<DryRunView>('POST', `/api/flows/${flowId}/dry-runs`, {
          last,
        });
        let current = started;
        while (live.current) {
          setView(current);
          if (current.status !== 'running') break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          current = await client.request<DryRunView>(
            'GET',
            `/api/flows/${flowId}/dry-runs/${started.id}`,
          );
        }
      } catch (failure) {
        if (live.current) {
          setError(failure instanceof ApiError ? failure.message : String(failure));
        }
      } finally {
        if (live.current) setRunning(false);
      }
    },
    [client, flowId],
  );

  return { view, error, running, start };
}
