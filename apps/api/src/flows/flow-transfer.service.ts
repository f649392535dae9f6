import { Inject, Injectable } from '@nestjs/common';
import { AppError, HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { CredentialsRepository, FlowsRepository, isUniqueViolation } from '@hookflow/store';
import type { FlowDocumentDto } from './dto/flow-document.dto';
import {
  credentialReferences,
  exportDocument,
  requestedHookIds,
  type CredentialReference,
  type RemappedId,
} from './flow-transfer';
import { FlowsService } from './flows.service';
import { TriggerCredentialChecks } from './trigger-credential-problems';

/** Where exports point their `$schema`: this installation's copy of the flow JSON Schema. */
export const FLOW_SCHEMA_PATH = '/api/schema/flow.json';

/** What an import did besides saving: ids it could not keep, credentials it could not find. */
export interface ImportReport {
  remapped: RemappedId[];
  missingCredentials: CredentialReference[];
  /**
   * Whether the flow accepts deliveries (false when asked so, when credentials are missing, or
   * when the trigger's credential cannot verify a sender: the answer's `problems` say why).
   */
  enabled: boolean;
}

/** Moves flows between installations: export with ids, import keeping them where possible. */
@Injectable()
export class FlowTransferService {
  constructor(
    @Inject(FlowsService) private readonly flows: FlowsService,
    @Inject(FlowsRepository) private readonly repository: FlowsRepository,
    @Inject(CredentialsRepository) private readonly credentials: CredentialsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(TriggerCredentialChecks) private readonly triggerChecks: TriggerCredentialChecks,
  ) {}

  /** The export text (a version's document with the flow id and hook ids), and a file name. */
  async export(flowId: string, version?: number): Promise<{ text: string; fileName: string }> {
    const { flow, hooks, document } = await this.flows.exportable(flowId, version);
    const text = exportDocument({
      document,
      flowId: flow.id,
      hooks,
      schemaUrl: `${this.config.publicUrl}${FLOW_SCHEMA_PATH}`,
    });
    const slug = document.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return { text, fileName: `${slug || 'flow'}.json` };
  }

  /**
   * Imports a flow document (an export, or one written by hand). Keeps its flow id and hook ids
   * unless this installation has them (then new ones, reported); a flow naming a credential that
   * does not exist here is saved disabled, and the answer says where.
   */
  async import(dto: FlowDocumentDto, enabled: boolean, author?: string) {
    const checked = this.flows.checked(dto);
    const requested = requestedHookIds(dto.hooks, checked.triggerNodeIds);
    if (requested.problems.length > 0) {
      throw new AppError(400, 'invalid_flow', 'the flow has invalid hooks', requested.problems);
    }
    const missingCredentials = await this.missingCredentials(
      credentialReferences(checked.document),
    );
    // A trigger credential of the wrong type, or with secrets its scheme cannot use, too.
    const problems = await this.triggerChecks.problems(checked.document);
    const keepEnabled = enabled && missingCredentials.length === 0 && problems.length === 0;
    for (let attempt = 1; ; attempt++) {
      const taken = await this.repository.takenIds(dto.id, Object.values(requested.hookIds));
      const hookIds = Object.fromEntries(
        Object.entries(requested.hookIds).filter(([, hookId]) => !taken.has(hookId)),
      );
      try {
        const created = await this.repository.create({
          ...checked,
          enabled: keepEnabled,
          flowId: dto.id !== undefined && !taken.has(dto.id) ? dto.id : undefined,
          hookIds,
          author,
          message: 'imported',
        });
        const remapped: RemappedId[] = [];
        if (dto.id !== undefined && created.flow.id !== dto.id) {
          remapped.push({ kind: 'flow', path: '/id', from: dto.id, to: created.flow.id });
        }
        for (const [nodeId, hookId] of Object.entries(requested.hookIds)) {
          const hook = created.hooks.find((candidate) => candidate.nodeId === nodeId);
          if (hook && hook.id !== hookId) {
            remapped.push({ kind: 'hook', path: `/hooks/${nodeId}`, from: hookId, to: hook.id });
          }
        }
        const report: ImportReport = { remapped, missingCredentials, enabled: keepEnabled };
        const view = { ...this.flows.present(created), report };
        return problems.length > 0 ? { ...view, problems } : view;
      } catch (error) {
        // An id taken between the check and the insert: check again, once.
        if (attempt < 2 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  private async missingCredentials(
    references: CredentialReference[],
  ): Promise<CredentialReference[]> {
    const names = [...new Set(references.map((reference) => reference.name))];
    const found = await Promise.all(names.map((name) => this.credentials.findByName(name)));
    const missing = new Set(names.filter((_, index) => !found[index]));
    return references.filter((reference) => missing.has(reference.name));
  }
}
