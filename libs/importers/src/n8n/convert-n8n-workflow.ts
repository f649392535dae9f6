import { ImportInputError, type ImportResult } from '../import-report';

/** Converts a n8n export into a Hookflow flow document plus a per-node report. */
export function convertN8nWorkflow(input: unknown): ImportResult {
  void input;
  throw new ImportInputError('n8n import is not implemented yet', '');
}
