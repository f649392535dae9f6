import { ImportInputError, type ImportResult } from '../import-report';

/** Converts a Node-RED export into a Hookflow flow document plus a per-node report. */
export function convertNodeRedFlow(input: unknown): ImportResult {
  void input;
  throw new ImportInputError('Node-RED import is not implemented yet', '');
}
