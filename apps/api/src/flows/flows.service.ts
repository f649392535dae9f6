import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  HOOKFLOW_CONFIG,
  notFound,
  type ErrorDetail,
  type HookflowConfig,
} from '@hookflow/common';
import {
  compileFlow,
  diffFlowDocuments,
  FLOW_FORMAT,
  type FlowDocument,
  type FlowNode,
} from '@hookflow/engine';
import { nodeRegistry } from '@hookflow/nodes';
import { compileIpRules } from '@hookflow/webhooks';
import { FlowsRepository, type FlowVersionEntity, type FlowWithVersion } from '@hookflow/store';
import type { FlowDocumentDto } from './dto/flow-document.dto';
import {
  presentFlow,
  presentFlowSummary,
  presentVersion,
  presentVersionSummary,
} from './flow.presenter';
import { TriggerCredentialChecks } from './trigger-credential-problems';
import { VersionConflictError } from './version-conflict.error';

/** Rebuilds the document from the validated DTO: known fields only, in a stable order. */
function toDocument(dto: FlowDocumentDto | FlowDocument): FlowDocument {
  const nodes: FlowNode[] = dto.nodes.map((node) => ({
    id: node.id,
    type: node.type,
    ...(node.name !== undefined ? { name: node.name } : {}),
    params: node.params ?? {},
    ...(node.credential !== undefined ? { credential: node.credential } : {}),
    ...(node.position !== undefined ? { position: node.position } : {}),
    ...(node.disabled !== undefined ? { disabled: node.disabled } : {}),
    // Checked by the engine against the retry policy schema right after.
    ...(node.retry !== undefined ? { retry: node.retry as FlowNode['retry'] } : {}),
    ...(node.onError !== undefined ? { onError: node.onError } : {}),
  }));
  return {
    format: FLOW_FORMAT,
    name: dto.name,
    ...(dto.description !== undefined ? { description: dto.description } : {}),
    nodes,
    edges: dto.edges.map((edge) => ({
      from: edge.from,
      to: edge.to,
      ...(edge.port !== undefined ? { port: edge.port } : {}),
    })),
    ...(dto.settings !== undefined ? { settings: dto.settings } : {}),
  };
}

/**
 * Checks the schema cannot express: the trigger's IP allowlist must be valid CIDRs, and not
 * empty (an empty list reads as either "nobody" or "everybody": leave it out to accept anyone).
 */
function triggerProblems(document: FlowDocument): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  document.nodes.forEach((node, index) => {
    const allow = node.type === 'trigger.webhook' ? node.params.ipAllow : undefined;
    if (!Array.isArray(allow)) return;
    if (allow.length === 0) {
      problems.push({
        path: `/nodes/${index}/params/ipAllow`,
        message:
          'an empty allowlist is refused: list the allowed addresses, or leave ipAllow out to accept any',
      });
      return;
    }
    const rules = compileIpRules({ allow: allow.map(String) });
    if (!rules.ok) {
      for (const message of rules.problems) {
        problems.push({ path: `/nodes/${index}/params/ipAllow`, message });
      }
    }
  });
  return problems;
}

/** A saved flow as answered, with the trigger problems it was saved with (when disabled). */
function withProblems<T extends object>(view: T, problems: ErrorDetail[]): T {
  return problems.length > 0 ? { ...view, problems } : view;
}

/** `If-Match: "3"`, `If-Match: 3` or `W/"3"`: the version a save is based on. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match || Number(match[1]) < 1) {
    throw new AppError(400, 'invalid_if_match', 'If-Match must be a version number, e.g. "3"', [
      { path: '/headers/if-match', message: 'expected "<version>"' },
    ]);
  }
  return Number(match[1]);
}

/** How a save was asked for: the base it was made on, who and why, and whether it goes live. */
export interface SaveRequest {
  baseVersion?: number;
  author?: string;
  message?: string;
  draft?: boolean;
}

@Injectable()
export class FlowsService {
  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(TriggerCredentialChecks) private readonly triggerChecks: TriggerCredentialChecks,
  ) {}

  /** Validates with the engine; every problem comes back at once with its path. */
  checked(dto: FlowDocumentDto | FlowDocument): {
    document: FlowDocument;
    triggerNodeIds: string[];
  } {
    const document = toDocument(dto);
    const result = compileFlow(document, nodeRegistry);
    const problems = result.ok ? triggerProblems(document) : result.problems;
    if (!result.ok || problems.length > 0) {
      throw new AppError(
        400,
        'invalid_flow',
        `the flow has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
        problems.map(({ path, message }) => ({ path, message })),
      );
    }
    return { document, triggerNodeIds: [result.flow.triggerId] };
  }

  /**
   * Creates a flow; its first version is published. A trigger whose credential cannot verify
   * anyone is refused for an enabled flow; a disabled one is saved and the answer lists them.
   */
  async create(
    dto: FlowDocumentDto,
    enabled: boolean,
    options: { author?: string; message?: string } = {},
  ) {
    const { document, triggerNodeIds } = this.checked(dto);
    const problems = await this.triggerChecks.problems(document);
    if (enabled) this.triggerChecks.refuseLive(problems);
    const created = await this.flows.create({ document, enabled, triggerNodeIds, ...options });
    return withProblems(this.present(created), problems);
  }

  /** Saves a new version of the document (published unless `draft`), optimistically locked. */
  async update(flowId: string, dto: FlowDocumentDto, request: SaveRequest = {}) {
    const checked = this.checked(dto);
    const problems = await this.triggerChecks.problems(checked.document);
    if (problems.length > 0 && request.draft !== true && (await this.found(flowId)).flow.enabled) {
      this.triggerChecks.refuseLive(problems);
    }
    return withProblems(await this.save(flowId, checked, request), problems);
  }

  private async save(
    flowId: string,
    checked: { document: FlowDocument; triggerNodeIds: string[] },
    request: SaveRequest,
  ) {
    const saved = await this.flows.save({
      flowId,
      ...checked,
      baseVersion: request.baseVersion,
      author: request.author,
      message: request.message,
      publish: request.draft !== true,
    });
    if (!saved) throw notFound('flow');
    if ('conflict' in saved) {
      throw new VersionConflictError(
        saved.base,
        saved.current,
        request.baseVersion ?? saved.current.version - 1,
      );
    }
    return this.present(saved);
  }

  /** Makes a version (default: the latest) the one deliveries run. */
  async publish(flowId: string, version?: number) {
    const published = await this.flows.publish(flowId, version);
    if (!published) {
      if (!(await this.flows.get(flowId))) throw notFound('flow');
      throw notFound(`version ${version}`);
    }
    return this.present(published);
  }

  /** Saves an old version's document as the new latest version. */
  async restore(flowId: string, versionNumber: number, request: SaveRequest) {
    const old = await this.version(flowId, versionNumber);
    return this.save(flowId, this.checked(old.document as FlowDocument), {
      ...request,
      message: request.message ?? `restored from version ${versionNumber}`,
    });
  }

  async get(flowId: string) {
    return this.present(await this.found(flowId));
  }

  /** The flow row and its versions, or 404. */
  async found(flowId: string): Promise<FlowWithVersion> {
    const found = await this.flows.get(flowId);
    if (!found) throw notFound('flow');
    return found;
  }

  async list(limit: number, offset: number) {
    const page = await this.flows.list({ limit, offset });
    return {
      items: page.items.map((flow) => presentFlowSummary(flow, flow.hooks, this.config.publicUrl)),
      total: page.total,
      limit,
      offset,
    };
  }

  async versions(flowId: string, limit: number, offset: number) {
    const { flow } = await this.found(flowId);
    const page = await this.flows.listVersions(flowId, { limit, offset });
    return {
      items: page.items.map((version) => presentVersionSummary(flow, version)),
      total: page.total,
      limit,
      offset,
    };
  }

  async getVersion(flowId: string, versionNumber: number) {
    const { flow } = await this.found(flowId);
    return presentVersion(flow, await this.version(flowId, versionNumber));
  }

  /** A node-level diff of two versions (either order). */
  async diff(flowId: string, from: number, to: number) {
    const { flow } = await this.found(flowId);
    const [before, after] = await Promise.all([
      this.version(flowId, from, '/from'),
      this.version(flowId, to, '/to'),
    ]);
    return {
      from: presentVersionSummary(flow, before),
      to: presentVersionSummary(flow, after),
      diff: diffFlowDocuments(before.document as FlowDocument, after.document as FlowDocument),
    };
  }

  private async version(flowId: string, versionNumber: number, path = '/version') {
    const version = await this.flows.getVersionByNumber(flowId, versionNumber);
    if (!version) {
      throw new AppError(404, 'not_found', `version ${versionNumber} of this flow not found`, [
        { path, message: `no version ${versionNumber}` },
      ]);
    }
    return version;
  }

  /** The requests last captured on the flow's test URLs. */
  async sample(flowId: string) {
    await this.found(flowId);
    const samples = await this.flows.sample(flowId);
    return {
      items: samples.map((entry) => ({
        nodeId: entry.nodeId,
        capturedAt: entry.sampleAt.toISOString(),
        request: entry.sample,
      })),
    };
  }

  async setEnabled(flowId: string, enabled: boolean) {
    if (enabled) {
      const published = (await this.found(flowId)).version.document as FlowDocument;
      this.triggerChecks.refuseLive(await this.triggerChecks.problems(published));
    }
    if (!(await this.flows.setEnabled(flowId, enabled))) throw notFound('flow');
    return this.get(flowId);
  }

  async delete(flowId: string): Promise<void> {
    if (!(await this.flows.delete(flowId))) throw notFound('flow');
  }

  /** The saved version the caller asked for (default: the latest). */
  async exportable(flowId: string, versionNumber?: number) {
    const found = await this.found(flowId);
    const version =
      versionNumber === undefined ? found.latest : await this.version(flowId, versionNumber);
    return { flow: found.flow, hooks: found.hooks, document: version.document as FlowDocument };
  }

  present(found: Pick<FlowWithVersion, 'flow' | 'hooks'> & { latest: FlowVersionEntity }) {
    return presentFlow(found.flow, found.latest, found.hooks, this.config.publicUrl);
  }
}
