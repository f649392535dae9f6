import { Type } from '@sinclair/typebox';
import { defineNodeType, NodeFailure } from '@hookflow/engine';

/**
 * A node imported from another tool that Hookflow cannot run (a Node-RED function, an n8n Code
 * node). It keeps the original so a person can rewrite it, and fails loudly when a run reaches
 * it rather than silently passing data through.
 */
export const unsupportedNode = defineNodeType({
  type: 'unsupported',
  label: 'Unsupported (imported)',
  category: 'flow',
  version: 1,
  icon: 'circle-alert',
  description:
    'A node imported from n8n or Node-RED with no Hookflow equivalent. Shows the original; fails when reached.',
  isTrigger: false,
  pure: true,
  outputs: ['main'],
  params: Type.Object(
    {
      source: Type.Union([Type.Literal('n8n'), Type.Literal('node-red')]),
      sourceType: Type.String({ description: 'The node type in the source tool' }),
      reason: Type.String({ description: 'Why it could not be converted' }),
      code: Type.Optional(
        Type.String({ description: 'The original code (a function node, a Code node)' }),
      ),
      original: Type.Optional(
        Type.Unknown({ description: 'The original node as exported (secrets removed)' }),
      ),
    },
    { additionalProperties: false },
  ),
  execute(_ctx, params) {
    return Promise.reject(
      new NodeFailure(
        'unsupported_node',
        `this node was imported from ${params.source} (${params.sourceType}) and has no Hookflow equivalent: ${params.reason}; replace it before running the flow`,
        '/params/sourceType',
      ),
    );
  },
});
