import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@hookflow/common';
import {
  convertN8nWorkflow,
  convertNodeRedFlow,
  ImportInputError,
  type ImportReport,
  type ImportResult,
} from '@hookflow/importers';
import { FlowsService } from '../flows/flows.service';

type PresentedFlow = Awaited<ReturnType<FlowsService['create']>>;

export interface ImportAnswer {
  flow: PresentedFlow;
  report: ImportReport;
}

/** Runs a converter on a foreign export and saves the result as a new, disabled flow. */
@Injectable()
export class ImportsService {
  constructor(@Inject(FlowsService) private readonly flows: FlowsService) {}

  importN8n(body: unknown): Promise<ImportAnswer> {
    return this.save(() => convertN8nWorkflow(body));
  }

  importNodeRed(body: unknown): Promise<ImportAnswer> {
    return this.save(() => convertNodeRedFlow(body));
  }

  private async save(convert: () => ImportResult): Promise<ImportAnswer> {
    const { document, report } = this.converted(convert);
    try {
      // Disabled: an imported flow has not been reviewed (credentials, approximations) yet.
      const flow = await this.flows.create(document, false, {
        message: `imported from ${report.source}`,
      });
      return { flow, report };
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

  private converted(convert: () => ImportResult): ImportResult {
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
