import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { CredentialView } from '../api/types';

/** Names of the stored credentials, offered where a node references one (empty on failure). */
export function useCredentialNames(client: ApiClient): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    client
      .request<{ items: CredentialView[] }>('GET', '/api/credentials')
      .then((page) => live && setNames(page.items.map((item) => item.name)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  return names;
}
