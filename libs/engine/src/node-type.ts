import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { TemplateEscape } from './expressions';
import type { JsonObject, JsonValue } from './json';
import type { OutboundHttp } from './outbound-http';
import type { OutboundMail } from './outbound-mail';

/** Marks a string parameter as source code, so validation compiles it and the editor highlights it. */
export const EXPRESSION_KEYWORD = 'x-hookflow-expression';
export type ExpressionLanguage = 'jsonata' | 'handlebars';

export function Jsonata(options: { description?: string; default?: string } = {}) {
  return Type.String({ ...options, [EXPRESSION_KEYWORD]: 'jsonata' });
}

/**
 * Marks a Handlebars parameter whose `{{value}}` output is escaped for where the text goes
 * (`html`, `slack`); without it, values are inserted as they are. `{{{value}}}` is never escaped.
 */
export const ESCAPE_KEYWORD = 'x-hookflow-escape';

export function Template(
  options: { description?: string; default?: string; escape?: 'html' | 'slack' } = {},
) {
  const { escape, ...rest } = options;
  return Type.String({
    ...rest,
    [EXPRESSION_KEYWORD]: 'handlebars',
    ...(escape === undefined ? {} : { [ESCAPE_KEYWORD]: escape }),
  });
}

/** The escaping a template parameter asks for (`none` when its schema does not say). */
export function templateEscapeOf(schema: TSchema): TemplateEscape {
  const escape: unknown = (schema as Record<string, unknown>)[ESCAPE_KEYWORD];
  return escape === 'html' || escape === 'slack' ? escape : 'none';
}

/** What the caller of a webhook gets back when the flow answers it (wait mode). */
export interface HookResponse {
  status: number;
  headers: Record<string, string>;
  body: JsonValue;
}

export interface TriggerData extends JsonObject {
  method: string;
  path: string;
  headers: { [name: string]: string };
  query: { [name: string]: string };
  body: JsonValue;
  receivedAt: string;
}

export interface ExecutionInfo extends JsonObject {
  id: string;
  flowId: string;
  versionId: string;
  attempt: number;
}

/** Everything a node may use. Side effects go through the services, never around them. */
export interface NodeContext {
  readonly nodeId: string;
  readonly input: JsonValue;
  readonly trigger: TriggerData;
  readonly execution: ExecutionInfo;
  /** Outputs of the nodes that have run so far, by node id (`$nodes`). */
  readonly nodes: JsonObject;
  /** Evaluates a JSONata parameter (compiled once per flow version) against a message. */
  evaluate(source: string, input?: JsonValue): Promise<JsonValue>;
  /**
   * Renders a Handlebars parameter against a message, escaping `{{value}}` output as `escape`
   * says (the mode the parameter's schema declares with `Template({ escape })`; `none` default).
   */
  render(source: string, input?: JsonValue, escape?: TemplateEscape): string;
  /** `<executionId>:<nodeId>`: lets receivers drop a call repeated after a crash. */
  readonly idempotencyKey: string;
  /** 1 on the first try of this message, 2 on the first retry, ... */
  readonly attempt: number;
  /** Set when this message was suspended before (delay) and is now due. */
  readonly wokeAt?: string;
  now(): Date;
  readonly http: OutboundHttp;
  /** SMTP, behind the same address guard as `http`. */
  readonly mail: OutboundMail;
  readonly signal: AbortSignal;
  /**
   * The decrypted credential the node names (`nodes[].credential`), or the one named here.
   * Fails the node when there is none. Its values never go into outputs or logs.
   */
  credential(name?: string): Promise<CredentialValue>;
  /** The credential this node names (`nodes[].credential`), if any. */
  readonly credentialName?: string;
}

/** A credential as nodes see it: its type and decrypted fields. */
export interface CredentialValue {
  type: string;
  data: Record<string, unknown>;
}

/** Where the runner gets credentials from (the encrypted store; a fake in tests). */
export interface CredentialSource {
  resolve(name: string): Promise<CredentialValue | undefined>;
}

/** A node asking to be called again later with the same message (a delay), instead of emitting. */
export interface NodeSuspension {
  suspendUntil: string;
}

export interface NodeResult {
  /**
   * Output port(s) the message leaves on; children on other ports do not run. Several ports
   * (a switch matching several rules) send the same output down each.
   */
  port: string | readonly string[];
  output: JsonValue;
  /**
   * Split: one message per element goes down the port instead of `output`; downstream runs once
   * per element, and a collecting node (merge) gathers them back in order.
   */
  items?: readonly JsonValue[];
  /** Set by nodes that answer the webhook caller. */
  response?: HookResponse;
}

export interface NodeTypeDescription {
  type: string;
  label: string;
  category: 'trigger' | 'transform' | 'flow' | 'action';
  /** Bumped when the params change incompatibly; documents name the type, not the version. */
  version: number;
  /** Icon name for the editor's palette (a Lucide icon name). */
  icon: string;
  description: string;
  /** Output ports; a node with none is a sink. */
  outputs: readonly string[];
  isTrigger: boolean;
  /**
   * Ports that depend on the params (a switch's rule ports), in addition to `outputs`.
   */
  dynamicOutputs?: (params: JsonObject) => readonly string[];
  /**
   * A collecting node (merge) runs once with everything that reaches it: all items of a split,
   * or one message per incoming edge (whatever arrived, once nothing else can arrive).
   */
  collects?: boolean;
  /**
   * No side effects: the node only computes from its input, so running it again after a crash is
   * harmless. The runner checkpoints a run before every node that is not pure (HTTP, Slack,
   * email, anything new), and runs pure nodes without a write in between.
   */
  pure?: boolean;
}

/** Every port a node may emit on, given its params (`error` when it routes failures). */
export function portsOf(nodeType: NodeTypeDescription, params: JsonObject): readonly string[] {
  return [...nodeType.outputs, ...(nodeType.dynamicOutputs?.(params) ?? [])];
}

export interface NodeType<P extends TObject = TObject> extends NodeTypeDescription {
  params: P;
  execute(ctx: NodeContext, params: Static<P>): Promise<NodeResult | NodeSuspension>;
  /**
   * Rules across params that the schema cannot state (e.g. "exactly one of cron and interval"),
   * run by compileFlow once the params match the schema. Paths are JSON pointers below `params`.
   */
  checkParams?(params: Static<P>): ReadonlyArray<{ path: string; message: string }>;
}

/** Declares a node type once: the schema gives the editor its form and `execute` its typed params. */
export function defineNodeType<P extends TObject>(declaration: NodeType<P>): NodeType<P> {
  return declaration;
}

export type AnyNodeType = NodeType<TObject>;

export interface NodeTypeRegistry {
  get(type: string): AnyNodeType | undefined;
  all(): readonly AnyNodeType[];
}

export function createRegistry(types: readonly AnyNodeType[]): NodeTypeRegistry {
  const byType = new Map<string, AnyNodeType>();
  for (const nodeType of types) {
    if (byType.has(nodeType.type)) throw new Error(`node type ${nodeType.type} declared twice`);
    byType.set(nodeType.type, nodeType);
  }
  return { get: (type) => byType.get(type), all: () => [...byType.values()] };
}

export function isExpressionSchema(schema: TSchema): ExpressionLanguage | undefined {
  const language: unknown = (schema as Record<string, unknown>)[EXPRESSION_KEYWORD];
  return language === 'jsonata' || language === 'handlebars' ? language : undefined;
}
