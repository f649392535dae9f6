import { Type, type Static } from '@sinclair/typebox';
import { RetryPolicySchema } from './retry-policy';

export const FLOW_FORMAT = 'hookflow.flow/v1';

/** Node ids are referenced by edges and expressions (`$nodes.<id>`), so keep them identifier-like. */
export const NODE_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]{0,63}$';

export const FlowNodeSchema = Type.Object(
  {
    id: Type.String({ pattern: NODE_ID_PATTERN, description: 'Stable id, referenced by edges' }),
    type: Type.String({ minLength: 1, description: 'Node type id, e.g. `transform`' }),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'Display name' })),
    params: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description: 'Parameters, checked against the node type schema',
    }),
    credential: Type.Optional(
      Type.String({ minLength: 1, description: 'Name of a stored credential (never the secret)' }),
    ),
    position: Type.Optional(
      Type.Tuple([Type.Number(), Type.Number()], { description: 'Canvas position [x, y]' }),
    ),
    disabled: Type.Optional(Type.Boolean()),
    retry: Type.Optional(RetryPolicySchema),
    onError: Type.Optional(
      Type.Union([Type.Literal('stop'), Type.Literal('continue'), Type.Literal('route')], {
        description:
          'stop (default): the run fails here. continue: the output carries the error and the ' +
          'run goes on. route: the error leaves on the `error` port',
      }),
    ),
  },
  { additionalProperties: false },
);

export const FlowEdgeSchema = Type.Object(
  {
    from: Type.String({ minLength: 1 }),
    to: Type.String({ minLength: 1 }),
    port: Type.Optional(Type.String({ minLength: 1, description: 'Output port of `from`' })),
  },
  { additionalProperties: false },
);

/** A flow's id in the installation it was exported from (a UUID). */
export const FLOW_ID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** The unguessable part of a trigger URL `/hooks/<hookId>`. */
export const HOOK_ID_PATTERN = '^[A-Za-z0-9_-]{16,64}$';

export const FlowDocumentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    format: Type.Literal(FLOW_FORMAT),
    id: Type.Optional(
      Type.String({
        pattern: FLOW_ID_PATTERN,
        description: 'Export only: the flow id, kept on import unless the installation has it',
      }),
    ),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    nodes: Type.Array(FlowNodeSchema, { maxItems: 500 }),
    edges: Type.Array(FlowEdgeSchema, { maxItems: 2000 }),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    hooks: Type.Optional(
      Type.Record(
        Type.String({ pattern: NODE_ID_PATTERN }),
        Type.String({ pattern: HOOK_ID_PATTERN }),
        {
          description:
            'Export only: trigger node id -> hook id, so `/hooks/<hookId>` URLs keep working after ' +
            'an import (a hook id the installation has is replaced, and reported)',
        },
      ),
    ),
  },
  {
    $id: 'https://hookflow.dev/schema/flow/v1.json',
    title: 'Hookflow flow document, format v1',
    additionalProperties: false,
  },
);

export type FlowNode = Static<typeof FlowNodeSchema>;
export type FlowEdge = Static<typeof FlowEdgeSchema>;
export type FlowDocument = Static<typeof FlowDocumentSchema>;

export const DEFAULT_PORT = 'main';
/** Where a node with `onError: route` sends its failures. */
export const ERROR_PORT = 'error';
