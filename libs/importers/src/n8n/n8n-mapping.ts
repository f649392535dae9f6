import type { FlowEdge, FlowNode } from '@hookflow/engine';
import type { CredentialToCreate, NodeOutcome } from '../import-report';
import {
  toJsonata,
  toTemplate,
  type JsonataValue,
  type NodeLookup,
  type TemplateValue,
} from './n8n-expression';
import type { N8nNode } from './n8n-workflow';

/** A credential the converted flow names and that must exist in Hookflow before it runs. */
export type NeededCredential = CredentialToCreate;

/** What one n8n node became. */
export interface MappedNode {
  outcome: NodeOutcome;
  notes: string[];
  nodes: FlowNode[];
  /** Edges between its own nodes (a trigger and the transform shaping n8n's item). */
  edges?: FlowEdge[];
  /** Where incoming connections land; none for a node dropped and wired through (No-Op). */
  entryId?: string;
  /** Where outgoing connections leave from. */
  exitId?: string;
  /** The port(s) of `exitId` that n8n output `index` stands for (none: that output is gone). */
  ports(index: number): string[];
  /** Merge: called once the senders of each n8n input (by input index) are known. */
  finalize?(inputs: string[][]): void;
  credentials?: NeededCredential[];
  /** The node that does the work (carries onError/retry); its `error` port is n8n's error output. */
  workId?: string;
  /** n8n's error output index (`onError: continueErrorOutput`). */
  errorOutput?: number;
}

/** What a mapper gets: the node, its ids, and the expression translator bound to the flow. */
export class MappingContext {
  readonly notes: string[] = [];
  private approximate = false;

  constructor(
    readonly node: N8nNode,
    /** The id given to this node's main Hookflow node. */
    readonly id: string,
    readonly lookup: NodeLookup,
  ) {}

  param(name: string): unknown {
    return this.node.parameters[name];
  }

  /** A parameter read as a record (`options`, `assignments`, ...), `{}` when absent. */
  record(value: unknown): Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  }

  /** Marks the node approximated, saying why. */
  differs(why: string): void {
    this.approximate = true;
    this.notes.push(why);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  jsonata(value: unknown): string {
    return this.track(toJsonata(value, this.lookup)).jsonata;
  }

  jsonataValue(value: unknown): JsonataValue {
    return this.track(toJsonata(value, this.lookup));
  }

  template(value: unknown): string {
    return this.track(toTemplate(value, this.lookup)).template;
  }

  private track<T extends JsonataValue | TemplateValue>(value: T): T {
    for (const problem of value.problems) this.differs(problem);
    return value;
  }

  /** A Hookflow node carrying this n8n node's name and canvas position. */
  flowNode(
    type: string,
    params: Record<string, unknown>,
    extra: { id?: string; nameSuffix?: string; credential?: string } = {},
  ): FlowNode {
    const name = `${this.node.name}${extra.nameSuffix ?? ''}`.slice(0, 200);
    const offset = extra.id === undefined ? 0 : 40;
    return {
      id: extra.id ?? this.id,
      type,
      name,
      params,
      ...(extra.credential !== undefined ? { credential: extra.credential } : {}),
      ...(this.node.position
        ? { position: [this.node.position[0], this.node.position[1] + offset] as [number, number] }
        : {}),
    };
  }

  /** The node as converted: one Hookflow node whose outputs map one to one. */
  single(
    node: FlowNode,
    ports: (index: number) => string[] = (index) => (index === 0 ? ['main'] : []),
    credentials?: NeededCredential[],
  ): MappedNode {
    return {
      outcome: this.approximate ? 'approximated' : 'converted',
      notes: this.notes,
      nodes: [node],
      entryId: node.id,
      exitId: node.id,
      ports,
      ...(credentials ? { credentials } : {}),
    };
  }

  get approximated(): boolean {
    return this.approximate;
  }
}

/** n8n credential names have spaces; Hookflow's are `[A-Za-z0-9._-]`. */
export function credentialName(n8nName: string): string {
  const slug = n8nName
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 100);
  return slug === '' ? 'imported-credential' : slug;
}

/**
 * The credential an n8n node needs (first of the given n8n credential types it references).
 * Shared templates strip `credentials`: the node still needs one, so it is named after the node
 * (`call_api-oauth2-client`) and listed all the same.
 */
export function credentialOf(
  ctx: MappingContext,
  n8nTypes: string[],
  hookflowTypes: string[],
): { credential: string; needed: NeededCredential[] } {
  const kinds = hookflowTypes.join(' or ');
  for (const type of n8nTypes) {
    const reference = ctx.node.credentials[type];
    if (reference) {
      const name = credentialName(reference.name);
      ctx.note(
        `needs the credential "${name}" (${kinds}): n8n exports ` +
          `credentials by name only ("${reference.name}", ${type})`,
      );
      return {
        credential: name,
        needed: [{ name, types: hookflowTypes, sourceType: type, exportedName: reference.name }],
      };
    }
  }
  const name = credentialName(`${ctx.id}-${hookflowTypes[0]}`);
  ctx.note(
    `needs the credential "${name}" (${kinds}): the export names no ${n8nTypes[0]} credential ` +
      '(shared templates strip them)',
  );
  return { credential: name, needed: [{ name, types: hookflowTypes, sourceType: n8nTypes[0] }] };
}
