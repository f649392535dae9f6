/**
 * One thing wrong with a flow or an input, located by a JSON pointer
 * (`/nodes/2/params/expression`). Validation returns every problem at once; it never throws.
 */
export interface Problem {
  path: string;
  message: string;
  code: ProblemCode;
}

export type ProblemCode =
  | 'schema'
  | 'unknown_node_type'
  | 'duplicate_node_id'
  | 'unknown_edge_node'
  | 'unknown_port'
  | 'cycle'
  | 'trigger_count'
  | 'invalid_params'
  | 'jsonata_syntax'
  | 'handlebars_syntax';

/** Builds a JSON pointer from path segments, escaping `~` and `/` as RFC 6901 says. */
export function pointer(...segments: Array<string | number>): string {
  return segments
    .map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('');
}
