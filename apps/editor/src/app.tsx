import { useEffect } from 'react';
import { ApiKeysPage } from './auth/api-keys-page';
import { SignInPage } from './auth/sign-in-page';
import { useAuth } from './auth/use-auth';
import { FlowEditorPage } from './canvas/flow-editor-page';
import { CredentialsPage } from './credentials/credentials-page';
import { FlowListPage } from './flows/flow-list-page';
import { useRoute } from './shared/use-route';

export function App() {
  const auth = useAuth();
  const { client, signOut } = auth;
  const { route, navigate } = useRoute();

  useEffect(() => {
    document.title = route.page === 'flow' ? 'Hookflow: flow' : 'Hookflow';
  }, [route]);

  if (!client) return <SignInPage auth={auth} />;
  if (route.page === 'keys') {
    return <ApiKeysPage client={client} onBack={() => navigate({ page: 'list' })} />;
  }
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
      onKeys={() => navigate({ page: 'keys' })}
      onOpen={(flowId) => navigate({ page: 'flow', flowId })}
      onNew={() => navigate({ page: 'flow' })}
      onSignOut={signOut}
    />
  );
}
