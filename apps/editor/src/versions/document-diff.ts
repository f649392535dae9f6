import { diffFlowDocuments, type FlowDiffOptions } from '@hookflow/engine/flow-diff';
import type { FlowDiffView, FlowDocument } from '../api/types';

type EngineFlowDocument = Parameters<typeof diffFlowDocuments>[0];

/**
 * A node-level comparison of two flow documents: the engine's diff, the one behind
 * `GET /api/flows/:id/diff`, run here where one side is not stored yet (the edits of a
 * conflicting save). The editor types documents as the JSON the API sends; the casts only
 * rename those types to the engine's, which describe the same JSON.
 */
export function diffDocuments(
  before: FlowDocument,
  after: FlowDocument,
  options: FlowDiffOptions = {},
): FlowDiffView {
  return diffFlowDocuments(
    before as EngineFlowDocument,
    after as EngineFlowDocument,
    options,
  ) as FlowDiffView;
}
