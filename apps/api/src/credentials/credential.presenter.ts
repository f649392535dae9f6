import type { CredentialView } from '@hookflow/store';

/** The one shape a credential leaves the API in: secrets masked, never their values. */
export function presentCredential(credential: CredentialView) {
  return {
    id: credential.id,
    name: credential.name,
    type: credential.type,
    fields: credential.fields,
    readable: credential.readable,
    keyId: credential.keyId,
    createdAt: credential.createdAt.toISOString(),
    updatedAt: credential.updatedAt.toISOString(),
  };
}
