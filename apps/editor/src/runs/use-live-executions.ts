import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { ExecutionSummary, Page } from '../api/types';
import { createSseParser } from './sse-parser';

const RECONNECT_MS = 1000;

function upsert(list: ExecutionSummary[], item: ExecutionSummary): ExecutionSummary[] {
  const rest = list.filter((entry) => entry.id !== item.id);
  const merged = { ...list.find((entry) => entry.id === item.id), ...item };
  return [merged, ...rest]
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
    .slice(0, 50);
}

/**
 * The flow's recent executions, kept live by `GET /api/executions/stream` (server-sent events
 * read with fetch, so the API key travels in the Authorization header); reconnects when cut.
 */
export function useLiveExecutions(client: ApiClient, flowId: string | undefined) {
  const [executions, setExecutions] = useState<ExecutionSummary[]>([]);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!flowId) return;
    const abort = new AbortController();
    const listen = async (): Promise<void> => {
      const page = await client.request<Page<ExecutionSummary>>(
        'GET',
        `/api/executions?flowId=${flowId}&limit=20`,
      );
      setExecutions(page.items);
      const body = await client.stream(`/api/executions/stream?flowId=${flowId}`, abort.signal);
      setConnected(true);
      const parse = createSseParser((event) => {
        if (event.event !== 'execution') return;
        const item = JSON.parse(event.data) as ExecutionSummary;
        setExecutions((list) => upsert(list, item));
      });
      const reader = body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parse(decoder.decode(value, { stream: true }));
      }
    };
    const loop = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        await listen().catch(() => undefined);
        setConnected(false);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      }
    };
    void loop();
    return () => abort.abort();
  }, [client, flowId]);

  return { executions, connected };
}
