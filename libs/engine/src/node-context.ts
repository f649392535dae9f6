import type { CompiledFlow, CompiledNode } from './compile-flow';
import type { ExpressionScope } from './expressions';
import type { JsonObject, JsonValue } from './json';
import type { CredentialValue, ExecutionInfo, NodeContext, TriggerData } from './node-type';
import { NodeFailure } from './node-failure';
import type { OutboundHttp } from './outbound-http';
import type { OutboundMail } from './outbound-mail';
import type { PendingMessage, RunServices, RunState } from './run-state';
import type { TemplateEscape } from './expressions';

const NO_MAIL: OutboundMail = {
  send: () =>
    Promise.reject(
      new NodeFailure('mail_unavailable', 'this runner has no SMTP transport (RunServices.mail)'),
    ),
};

/** Never aborted: for runs without a signal (tests, previews). */
const NEVER_ABORTED = new AbortController().signal;

function itemSuffix(message: PendingMessage): string {
  const lineage = message.lineage ?? [];
  return lineage.length === 0 ? '' : `:${lineage.map((item) => item.index).join('.')}`;
}

/**
 * What a node's `execute` sees. A class rather than an object of closures: one allocation per
 * node run, on the hot path of every execution.
 */
export class RunNodeContext implements NodeContext {
  readonly nodeId: string;
  readonly input: JsonValue;
  readonly trigger: TriggerData;
  readonly execution: ExecutionInfo;
  readonly nodes: JsonObject;
  readonly attempt: number;
  readonly wokeAt?: string;
  readonly http: OutboundHttp;
  readonly mail: OutboundMail;
  readonly signal: AbortSignal;
  readonly credentialName?: string;
  private readonly scope: ExpressionScope;

  constructor(
    private readonly flow: CompiledFlow,
    state: RunState,
    private readonly message: PendingMessage,
    private readonly services: RunServices,
    compiled: CompiledNode,
  ) {
    this.nodeId = message.nodeId;
    this.input = message.input;
    this.trigger = state.trigger;
    this.execution = state.execution;
    this.nodes = state.outputs;
    this.attempt = message.attempt ?? 1;
    if (message.wakeAt !== undefined) this.wokeAt = message.wakeAt;
    this.http = services.http;
    this.mail = services.mail ?? NO_MAIL;
    this.signal = services.signal ?? NEVER_ABORTED;
    if (compiled.node.credential !== undefined) this.credentialName = compiled.node.credential;
    this.scope = { trigger: state.trigger, nodes: state.outputs, execution: state.execution };
  }

  /** `<executionId>:<nodeId>[:<item>]`: one key per node run, per split item. */
  get idempotencyKey(): string {
    return `${this.execution.id}:${this.nodeId}${itemSuffix(this.message)}`;
  }

  evaluate(source: string, input: JsonValue = this.input): Promise<JsonValue> {
    return this.flow.expressions.jsonata(source).evaluate(input, this.scope);
  }

  render(source: string, input: JsonValue = this.input, escape: TemplateEscape = 'none'): string {
    return this.flow.expressions.template(source, escape).evaluate(input, this.scope);
  }

  now(): Date {
    return this.services.now();
  }

  async credential(name?: string): Promise<CredentialValue> {
    const wanted = name ?? this.credentialName;
    if (!wanted) {
      throw new NodeFailure('credential_missing', 'this node needs a credential: set `credential`');
    }
    const found = await this.services.credentials?.resolve(wanted);
    if (!found) {
      throw new NodeFailure('credential_missing', `credential "${wanted}" does not exist`);
    }
    return found;
  }
}
