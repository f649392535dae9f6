import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client';
import { SignInPage } from './auth/sign-in-page';
import { FlowEditorPage } from './canvas/flow-editor-page';
import { CredentialsPage } from './credentials/credentials-page';
import { FlowListPage } from './flows/flow-list-page';
import { useRoute } from './shared/use-route';

const KEY_STORAGE = 'hookflow.apiKey';

export function App() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_STORAGE));
  const client = useMemo(() => (apiKey ? createApiClient(apiKey) : undefined), [apiKey]);
  const { route, navigate } = useRoute();

  const signIn = useCallback((key: string) => {
    sessionStorage.setItem(KEY_STORAGE, key);
    setApiKey(key);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY_STORAGE);
    setApiKey(null);
  }, []);

  useEffect(() => {
    document.title = route.page === 'flow' ? 'Hookflow: flow' : 'Hookflow';
  }, [route]);

  if (!client) return <SignInPage onSignIn={signIn} />;
  if (route.page === 'flow') {
    return (
      <FlowEditorPage
        client={client}
        flowId={route.flowId}
        onOpenFlow={(id) => navigate({ page: 'flow', flowId: id }, { replace: true })}
        onBack={() => navigate({ page: 'list' })}
        onUnauthorized={signOut}
      />
    );
  }
  if (route.page === 'credentials') {
    return <CredentialsPage client={client} onBack={() => navigate({ page: 'list' })} />;
  }
  return (
    <FlowListPage
      client={client}
      onCredentials={() => navigate({ page: 'credentials' })}
      onOpen={(flowId) => navigate({ page: 'flow', flowId })}
      onNew={() => navigate({ page: 'flow' })}
      onSignOut={signOut}
    />
  );
}
