import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { isJsonObject, type FlowSummary, type FlowView, type Page } from '../api/types';

const MAX_FLOWS = 100;

/** The credential names a flow's nodes reference (`credential`, or a trigger's auth). */
export function credentialsOf(flow: FlowView): string[] {
  const names = new Set<string>();
  for (const node of flow.document.nodes) {
    if (typeof node.credential === 'string') names.add(node.credential);
    const auth = node.params.auth;
    if (isJsonObject(auth) && typeof auth.credential === 'string') names.add(auth.credential);
  }
  return [...names];
}

/**
 * Credential name -> names of the flows using it, from the first 100 flows (`GET /api/flows`,
 * then each `GET /api/flows/:id`). Empty on failure.
 */
export function useCredentialUsage(client: ApiClient): Map<string, string[]> {
  const [usage, setUsage] = useState<Map<string, string[]>>(new Map());
  useEffect(() => {
    let live = true;
    const load = async () => {
      const page = await client.request<Page<FlowSummary>>('GET', `/api/flows?limit=${MAX_FLOWS}`);
      const flows = await Promise.all(
        page.items
          .slice(0, MAX_FLOWS)
          .map((flow) => client.request<FlowView>('GET', `/api/flows/${flow.id}`)),
      );
      const next = new Map<string, string[]>();
      for (const flow of flows)
        for (const name of credentialsOf(flow))
          next.set(name, [...(next.get(name) ?? []), flow.name]);
      if (live) setUsage(next);
    };
    load().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  return usage;
}
