import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { CredentialView } from '../api/types';

/** The stored credentials (masked), offered where a node references one (empty on failure). */
export function useCredentials(client: ApiClient): CredentialView[] {
  const [credentials, setCredentials] = useState<CredentialView[]>([]);
  useEffect(() => {
    let live = true;
    client
      .request<{ items: CredentialView[] }>('GET', '/api/credentials')
      .then((page) => live && setCredentials(page.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  return credentials;
}
