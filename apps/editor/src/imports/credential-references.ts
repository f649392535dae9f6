import { isJsonObject, type FlowDocument, type MissingCredentialView } from '../api/types';

const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function collect(value: unknown, path: string, out: MissingCredentialView[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${path}/${index}`, out));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}/${pointerToken(key)}`;
    if (key === 'credential' && typeof item === 'string') out.push({ path: itemPath, name: item });
    else collect(item, itemPath, out);
  }
}

/**
 * The credentials a flow document names, with JSON Pointers (`/nodes/2/credential`,
 * `/nodes/0/params/auth/credential`): the same places the API looks when it imports a document.
 */
export function credentialReferences(document: FlowDocument): MissingCredentialView[] {
  const references: MissingCredentialView[] = [];
  document.nodes.forEach((node, index) => {
    if (typeof node.credential === 'string') {
      references.push({ path: `/nodes/${index}/credential`, name: node.credential });
    }
    collect(node.params, `/nodes/${index}/params`, references);
  });
  return references;
}

/** The references whose name is not among the stored credentials. */
export function missingCredentials(
  document: FlowDocument,
  storedNames: readonly string[],
): MissingCredentialView[] {
  const stored = new Set(storedNames);
  return credentialReferences(document).filter((reference) => !stored.has(reference.name));
}
