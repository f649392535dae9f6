import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  checkJsonataSyntax,
  checkTemplateSyntax,
  DEFAULT_EXPRESSION_LIMITS,
  ExpressionCache,
  type ExpressionLimits,
  type TemplateEscape,
} from './expressions';
import {
  DEFAULT_PORT,
  ERROR_PORT,
  FlowDocumentSchema,
  type FlowDocument,
  type FlowNode,
} from './flow-document';
import { buildChildMap, findCycles, type ChildMap } from './flow-graph';
import { isJsonObject, type JsonObject } from './json';
import {
  isExpressionSchema,
  portsOf,
  templateEscapeOf,
  type AnyNodeType,
  type ExpressionLanguage,
  type NodeTypeRegistry,
} from './node-type';
import { pointer, type Problem } from './problem';
import { RetryPolicySchema, type RetryPolicy } from './retry-policy';

export interface CompiledNode {
  node: FlowNode;
  nodeType: AnyNodeType;
  /** Params with the schema's defaults filled in. */
  params: JsonObject;
  /** The node's retry policy with defaults, when it has one. */
  retry?: RetryPolicy;
}

/** A validated flow version, ready to run many times: graph indexed, expressions compiled. */
export interface CompiledFlow {
  document: FlowDocument;
  triggerId: string;
  nodes: Map<string, CompiledNode>;
  children: ChildMap;
  expressions: ExpressionCache;
}

export type CompileResult =
  { ok: true; flow: CompiledFlow; problems: [] } | { ok: false; problems: Problem[] };

export interface CompileOptions {
  limits?: ExpressionLimits;
  /**
   * Refuse regexes RE2 cannot run (default). A version saved before that rule still loads: such
   * a regex then fails its node at run time (`expression_failed`), not every delivery.
   */
  checkRegexes?: boolean;
}

interface FoundExpression {
  path: string;
  language: ExpressionLanguage;
  source: string;
  /** How a template escapes its values (from `x-hookflow-escape`); `none` for JSONata. */
  escape: TemplateEscape;
}

/** Walks params alongside their schema and lists every JSONata / Handlebars source in them. */
function collectExpressions(
  schema: TSchema,
  value: unknown,
  path: string,
  out: FoundExpression[],
): void {
  const language = isExpressionSchema(schema);
  if (language && typeof value === 'string') {
    out.push({ path, language, source: value, escape: templateEscapeOf(schema) });
    return;
  }
  const record = schema as Record<string, unknown>;
  if (Array.isArray(record.anyOf)) {
    const variant = (record.anyOf as TSchema[]).find((candidate) => Value.Check(candidate, value));
    if (variant) collectExpressions(variant, value, path, out);
    return;
  }
  if (isJsonObject(value)) {
    const properties = (record.properties ?? {}) as Record<string, TSchema>;
    const patterns = (record.patternProperties ?? {}) as Record<string, TSchema>;
    const additional = [
      ...Object.values(patterns),
      ...(typeof record.additionalProperties === 'object'
        ? [record.additionalProperties as TSchema]
        : []),
    ][0];
    for (const [key, item] of Object.entries(value)) {
      const itemSchema = properties[key] ?? additional;
      if (itemSchema) collectExpressions(itemSchema, item, `${path}${pointer(key)}`, out);
    }
    return;
  }
  if (Array.isArray(value) && typeof record.items === 'object') {
    value.forEach((item, index) =>
      collectExpressions(record.items as TSchema, item, `${path}${pointer(index)}`, out),
    );
  }
}

/** Turns "Expected union value" into the list of allowed values when they are literals. */
function explainParamError(schema: TSchema, message: string): string {
  const variants = (schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (variants && variants.every((variant) => variant.const !== undefined)) {
    return `Expected one of: ${variants.map((variant) => JSON.stringify(variant.const)).join(', ')}`;
  }
  return message;
}

function schemaProblems(document: unknown): Problem[] {
  return [...Value.Errors(FlowDocumentSchema, document)].map((error) => ({
    path: error.path || '/',
    message: error.message,
    code: 'schema' as const,
  }));
}

/**
 * Validates a flow document and, when it is sound, compiles it. Returns every problem at once,
 * each with a JSON pointer into the document, so the editor can mark all of them.
 */
export function compileFlow(
  input: unknown,
  registry: NodeTypeRegistry,
  options: CompileOptions = {},
): CompileResult {
  const problems = schemaProblems(input);
  const isShaped =
    isJsonObject(input) &&
    Array.isArray((input as Record<string, unknown>).nodes) &&
    Array.isArray((input as Record<string, unknown>).edges);
  if (!isShaped) return { ok: false, problems };

  const document = input as FlowDocument;
  const expressions = new ExpressionCache(options.limits ?? DEFAULT_EXPRESSION_LIMITS);
  const nodes = new Map<string, CompiledNode>();
  const triggers: string[] = [];

  document.nodes.forEach((node, index) => {
    if (!isJsonObject(node) || typeof node.id !== 'string') return;
    const at = pointer('nodes', index);
    if (nodes.has(node.id)) {
      problems.push({
        path: `${at}/id`,
        message: `duplicate node id "${node.id}"`,
        code: 'duplicate_node_id',
      });
      return;
    }
    const nodeType = registry.get(node.type);
    if (!nodeType) {
      problems.push({
        path: `${at}/type`,
        message: `unknown node type "${String(node.type)}"`,
        code: 'unknown_node_type',
      });
      return;
    }
    if (nodeType.isTrigger) triggers.push(node.id);
    const rawParams: unknown = node.params ?? {};
    const params = Value.Default(nodeType.params, structuredClone(rawParams)) as JsonObject;
    const reported = new Set<string>();
    for (const error of Value.Errors(nodeType.params, params)) {
      // TypeBox reports a missing property twice (required, then type); one message a path.
      if (reported.has(error.path)) continue;
      reported.add(error.path);
      problems.push({
        path: `${at}/params${error.path}`,
        message: explainParamError(error.schema, error.message),
        code: 'invalid_params',
      });
    }
    if (reported.size === 0 && nodeType.checkParams) {
      for (const problem of nodeType.checkParams(params)) {
        problems.push({
          path: `${at}/params${problem.path}`,
          message: problem.message,
          code: 'invalid_params',
        });
      }
    }
    const found: FoundExpression[] = [];
    collectExpressions(nodeType.params, params, `${at}/params`, found);
    for (const expression of found) {
      const syntax =
        expression.language === 'jsonata'
          ? checkJsonataSyntax(expression.source, options.checkRegexes ?? true)
          : checkTemplateSyntax(expression.source, expression.escape);
      if (syntax) {
        problems.push({
          path: expression.path,
          message:
            expression.language === 'jsonata'
              ? `JSONata does not compile: ${syntax.message}`
              : `Handlebars template does not compile: ${syntax.message}`,
          code: expression.language === 'jsonata' ? 'jsonata_syntax' : 'handlebars_syntax',
        });
      } else if (expression.language === 'jsonata') {
        expressions.jsonata(expression.source);
      } else {
        expressions.template(expression.source, expression.escape);
      }
    }
    const retry =
      node.retry === undefined
        ? undefined
        : (Value.Default(RetryPolicySchema, structuredClone(node.retry)) as RetryPolicy);
    nodes.set(node.id, { node, nodeType, params, ...(retry ? { retry } : {}) });
  });

  const knownIds = new Set(
    document.nodes.filter((node) => isJsonObject(node)).map((node) => node.id),
  );
  document.edges.forEach((edge, index) => {
    if (!isJsonObject(edge)) return;
    const at = pointer('edges', index);
    if (!knownIds.has(edge.from)) {
      problems.push({
        path: `${at}/from`,
        message: `edge starts at unknown node "${edge.from}"`,
        code: 'unknown_edge_node',
      });
    }
    if (!knownIds.has(edge.to)) {
      problems.push({
        path: `${at}/to`,
        message: `edge ends at unknown node "${edge.to}"`,
        code: 'unknown_edge_node',
      });
    }
    const source = nodes.get(edge.from);
    if (source) {
      const port = edge.port ?? DEFAULT_PORT;
      const ports = [
        ...portsOf(source.nodeType, source.params),
        ...(source.node.onError === 'route' ? [ERROR_PORT] : []),
      ];
      if (!ports.includes(port)) {
        problems.push({
          path: edge.port === undefined ? at : `${at}/port`,
          message:
            ports.length === 0
              ? `node "${edge.from}" (${source.nodeType.type}) has no output ports`
              : `node "${edge.from}" (${source.nodeType.type}) has no output port "${port}"; ` +
                `its ports are: ${ports.join(', ')}`,
          code: 'unknown_port',
        });
      }
    }
    const target = nodes.get(edge.to);
    if (target?.nodeType.isTrigger) {
      problems.push({
        path: `${at}/to`,
        message: `edge ends at trigger "${edge.to}"; a trigger has no input`,
        code: 'unknown_port',
      });
    }
  });

  if (triggers.length !== 1) {
    problems.push({
      path: '/nodes',
      message:
        triggers.length === 0
          ? 'a flow needs exactly one trigger node; it has none'
          : `a flow needs exactly one trigger node; it has ${triggers.length}: ${triggers.join(', ')}`,
      code: 'trigger_count',
    });
  }

  for (const cycle of findCycles([...knownIds], document.edges)) {
    problems.push({
      path: pointer('edges', cycle.edgeIndex),
      message: `edge closes a cycle: ${cycle.loop.join(' -> ')}`,
      code: 'cycle',
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    problems: [],
    flow: {
      document,
      triggerId: triggers[0],
      nodes,
      children: buildChildMap(document.edges),
      expressions,
    },
  };
}

export function validateFlow(input: unknown, registry: NodeTypeRegistry): Problem[] {
  return compileFlow(input, registry).problems;
}
