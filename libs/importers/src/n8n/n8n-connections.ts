import { DEFAULT_PORT, type FlowEdge } from '@hookflow/engine';
import type { MappedNode } from './n8n-mapping';
import type { N8nConnection } from './n8n-workflow';

export interface Wiring {
  edges: FlowEdge[];
  /** Per n8n node name: the Hookflow senders of each of its inputs (by input index). */
  inputs: Map<string, string[][]>;
  warnings: string[];
}

interface Source {
  id: string;
  port: string;
}

/**
 * n8n connections name nodes and number their outputs and inputs; Hookflow edges join node ids
 * and name ports. A node dropped in conversion (No-Op, disabled) is wired through: whatever fed
 * it feeds what it fed.
 */
export function wire(
  connections: readonly N8nConnection[],
  mapped: ReadonlyMap<string, MappedNode>,
): Wiring {
  const warnings: string[] = [];
  const edges: FlowEdge[] = [];
  const seen = new Set<string>();
  const inputs = new Map<string, string[][]>();

  const resolve = (name: string, output: number, visiting: Set<string>): Source[] => {
    const node = mapped.get(name);
    if (!node) return [];
    if (node.exitId === undefined) {
      if (output !== 0 || visiting.has(name)) return [];
      const next = new Set(visiting).add(name);
      return connections
        .filter((connection) => connection.to === name)
        .flatMap((connection) => resolve(connection.from, connection.output, next));
    }
    if (node.errorOutput === output && node.workId !== undefined) {
      return [{ id: node.workId, port: 'error' }];
    }
    const ports = node.ports(output);
    if (ports.length === 0) {
      warnings.push(
        `output ${output} of "${name}" has no Hookflow equivalent; its connections were dropped`,
      );
    }
    return ports.map((port) => ({ id: node.exitId as string, port }));
  };

  for (const connection of connections) {
    const target = mapped.get(connection.to);
    if (target?.entryId === undefined) continue;
    for (const source of resolve(connection.from, connection.output, new Set())) {
      const key = `${source.id}|${source.port}|${target.entryId}`;
      const byInput = inputs.get(connection.to) ?? [];
      const senders = byInput[connection.input] ?? [];
      if (!senders.includes(source.id)) senders.push(source.id);
      byInput[connection.input] = senders;
      inputs.set(connection.to, byInput);
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({
        from: source.id,
        to: target.entryId,
        ...(source.port === DEFAULT_PORT ? {} : { port: source.port }),
      });
    }
  }
  return { edges, inputs, warnings: [...new Set(warnings)] };
}
