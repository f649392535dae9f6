import type { ApiClient } from '../api/client';
import type {
  ConversionAnswer,
  ConversionReportView,
  CredentialView,
  FlowImportAnswer,
  FlowView,
  MissingCredentialView,
  RemappedIdView,
} from '../api/types';
import { missingCredentials } from './credential-references';
import type { ImportKind, PreparedImport } from './detect-import';

/** One import's result, the same shape whatever the source, for the report view. */
export interface ImportOutcome {
  kind: ImportKind;
  flow: FlowView;
  /** The per-node conversion report (n8n and Node-RED only). */
  conversion?: ConversionReportView;
  remapped: RemappedIdView[];
  missingCredentials: MissingCredentialView[];
  /** False when the stored credentials could not be listed (then every reference is shown). */
  credentialsChecked: boolean;
  enabled: boolean;
}

/** The converters do not look credentials up: compare the flow's references with the list. */
async function foreignMissingCredentials(
  client: ApiClient,
  flow: FlowView,
): Promise<{ missing: MissingCredentialView[]; checked: boolean }> {
  try {
    const page = await client.request<{ items: CredentialView[] }>('GET', '/api/credentials');
    const names = page.items.map((credential) => credential.name);
    return { missing: missingCredentials(flow.document, names), checked: true };
  } catch {
    return { missing: missingCredentials(flow.document, []), checked: false };
  }
}

/**
 * Posts the prepared import to its endpoint. Hookflow documents are imported disabled (review
 * before deliveries); the converters always save disabled. Errors are the client's ApiError.
 */
export async function runImport(
  client: ApiClient,
  prepared: PreparedImport,
): Promise<ImportOutcome> {
  if (prepared.kind === 'hookflow') {
    const answer = await client.request<FlowImportAnswer>(
      'POST',
      '/api/flows/import?enabled=false',
      prepared.body,
    );
    const { report, ...flow } = answer;
    return {
      kind: 'hookflow',
      flow,
      remapped: report.remapped,
      missingCredentials: report.missingCredentials,
      credentialsChecked: true,
      enabled: report.enabled,
    };
  }
  const answer = await client.request<ConversionAnswer>(
    'POST',
    `/api/flows/import/${prepared.kind}`,
    prepared.body,
  );
  const credentials = await foreignMissingCredentials(client, answer.flow);
  return {
    kind: prepared.kind,
    flow: answer.flow,
    conversion: answer.report,
    remapped: [],
    missingCredentials: credentials.missing,
    credentialsChecked: credentials.checked,
    enabled: answer.flow.enabled,
  };
}
