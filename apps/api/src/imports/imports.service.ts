import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@hookflow/common';
import type { FlowDocument } from '@hookflow/engine';
import {
  convertN8nWorkflow,
  convertNodeRedFlows,
  ImportInputError,
  type ImportReport,
  type ImportResult,
} from '@hookflow/importers';
import { FlowsService } from '../flows/flows.service';

type PresentedFlow = Awaited<ReturnType<FlowsService['create']>>;

export interface ImportedFlow {
  flow: PresentedFlow;
  report: ImportReport;
}

/**
 * The imported flow and its report; when the export held several flows (Node-RED tabs, or
 * unconnected sets of nodes), the others follow in `otherFlows`, each with its own report.
 */
export interface ImportAnswer extends ImportedFlow {
  otherFlows?: ImportedFlow[];
}

/**
 * The report with the URL path each converted trigger is served at (`/hooks/<hookId>`, fixed
 * for the life of the trigger) noted on the source node it came from.
 */
function withHookPaths(
  report: ImportReport,
  flow: PresentedFlow,
  document: FlowDocument,
): ImportReport {
  const nodes = report.nodes.map((node) => {
    const triggers = flow.triggers.filter((trigger) => node.nodeIds.includes(trigger.nodeId));
    if (triggers.length === 0) return node;
    const methods = document.nodes.find((made) => made.id === triggers[0].nodeId)?.params.methods;
    const served = Array.isArray(methods) ? `${methods.join(', ')} ` : '';
    return {
      ...node,
      hookPath: triggers[0].path,
      notes: [...node.notes, `Hookflow serves it at ${served}${triggers[0].path}`],
    };
  });
  return { ...report, nodes };
}

/** Runs a converter on a foreign export and saves the result as a new, disabled flow. */
@Injectable()
export class ImportsService {
  constructor(@Inject(FlowsService) private readonly flows: FlowsService) {}

  importN8n(body: unknown): Promise<ImportAnswer> {
    return this.save(() => [convertN8nWorkflow(body)]);
  }

  importNodeRed(body: unknown): Promise<ImportAnswer> {
    return this.save(() => convertNodeRedFlows(body));
  }

  private async save(convert: () => ImportResult[]): Promise<ImportAnswer> {
    const results = this.converted(convert);
    try {
      // Every flow is checked before any is saved: an export imports whole or not at all.
      for (const { document } of results) this.flows.checked(document);
      const saved: ImportedFlow[] = [];
      for (const { document, report } of results) {
        // Disabled: an imported flow has not been reviewed (credentials, approximations) yet.
        const flow = await this.flows.create(document, false, {
          message: `imported from ${report.source}`,
        });
        saved.push({ flow, report: withHookPaths(report, flow, document) });
      }
      const [first, ...others] = saved;
      return others.length > 0 ? { ...first, otherFlows: others } : first;
    } catch (error) {
      // The converter wrote this document, so a rejection is its bug, not the caller's input.
      if (error instanceof AppError && error.getStatus() === 400) {
        throw new AppError(
          422,
          'import_invalid_flow',
          `the converted flow is not valid: ${error.message}`,
          error.details,
        );
      }
      throw error;
    }
  }

  private converted(convert: () => ImportResult[]): ImportResult[] {
    try {
      return convert();
    } catch (error) {
      if (error instanceof ImportInputError) {
        throw new AppError(400, 'invalid_import', error.message, [
          { path: error.path, message: error.message },
        ]);
      }
      throw error;
    }
  }
}
