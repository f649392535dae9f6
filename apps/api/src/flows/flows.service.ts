import { Inject, Injectable } from '@nestjs/common';
import { AppError, HOOKFLOW_CONFIG, notFound, type HookflowConfig } from '@hookflow/common';
import { compileFlow, FLOW_FORMAT, type FlowDocument, type FlowNode } from '@hookflow/engine';
import { nodeRegistry } from '@hookflow/nodes';
import { compileIpRules } from '@hookflow/webhooks';
import { FlowsRepository } from '@hookflow/store';
import type { FlowDocumentDto } from './dto/flow-document.dto';
import { presentFlow, presentFlowSummary } from './flow.presenter';

/** Rebuilds the document from the validated DTO: known fields only, in a stable order. */
function toDocument(dto: FlowDocumentDto): FlowDocument {
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

/** Checks the schema cannot express: the trigger's IP allowlist must be valid CIDRs. */
function triggerProblems(document: FlowDocument): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  document.nodes.forEach((node, index) => {
    const allow = node.type === 'trigger.webhook' ? node.params.ipAllow : undefined;
    if (!Array.isArray(allow) || allow.length === 0) return;
    const rules = compileIpRules({ allow: allow.map(String) });
    if (!rules.ok) {
      for (const message of rules.problems) {
        problems.push({ path: `/nodes/${index}/params/ipAllow`, message });
      }
    }
  });
  return problems;
}

@Injectable()
export class FlowsService {
  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  /** Validates with the engine; every problem comes back at once with its path. */
  private checked(dto: FlowDocumentDto): { document: FlowDocument; triggerNodeIds: string[] } {
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

  async create(dto: FlowDocumentDto, enabled: boolean) {
    const { document, triggerNodeIds } = this.checked(dto);
    const created = await this.flows.create({ document, enabled, triggerNodeIds });
    return presentFlow(created.flow, created.version, created.hooks, this.config.publicUrl);
  }

  async update(flowId: string, dto: FlowDocumentDto) {
    const { document, triggerNodeIds } = this.checked(dto);
    const updated = await this.flows.addVersion({ flowId, document, triggerNodeIds });
    if (!updated) throw notFound('flow');
    return presentFlow(updated.flow, updated.version, updated.hooks, this.config.publicUrl);
  }

  async get(flowId: string) {
    const found = await this.flows.get(flowId);
    if (!found) throw notFound('flow');
    return presentFlow(found.flow, found.version, found.hooks, this.config.publicUrl);
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

  /** The requests last captured on the flow's test URLs. */
  async sample(flowId: string) {
    if (!(await this.flows.get(flowId))) throw notFound('flow');
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
    if (!(await this.flows.setEnabled(flowId, enabled))) throw notFound('flow');
    return this.get(flowId);
  }

  async delete(flowId: string): Promise<void> {
    if (!(await this.flows.delete(flowId))) throw notFound('flow');
  }

  /** The current version's document: references to credentials, never secrets, no ids of this install. */
  async export(flowId: string): Promise<FlowDocument> {
    const found = await this.flows.get(flowId);
    if (!found) throw notFound('flow');
    return found.version.document as FlowDocument;
  }
}
