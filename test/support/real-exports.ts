import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real exports gathered from public sources (test/fixtures/real/SOURCES names each one). */
export const REAL_EXPORTS = join(__dirname, '..', 'fixtures', 'real');

export interface RealExport {
  file: string;
  body: unknown;
  /** The ids of the source's nodes that a report must list, each exactly once. */
  sourceIds: string[];
}

type Item = Record<string, unknown>;

/** Node-RED: flow nodes only (not tabs, subflow definitions, groups, config nodes). */
function nodeRedIds(items: Item[]): string[] {
  const subflows = new Set(items.filter((item) => item.type === 'subflow').map((item) => item.id));
  return items
    .filter(
      (item) =>
        !['tab', 'subflow', 'group'].includes(String(item.type)) &&
        ((typeof item.x === 'number' && typeof item.y === 'number') || Array.isArray(item.wires)) &&
        !subflows.has(item.z),
    )
    .map((item) => String(item.id));
}

/** n8n: every node, by id (by name when the export has no ids). */
function n8nIds(workflow: Item): string[] {
  return (workflow.nodes as Item[]).map((node) => String(node.id ?? node.name));
}

/** The real exports of one tool, each with the node ids its report must account for. */
export function realExports(tool: 'n8n' | 'node-red'): RealExport[] {
  const folder = join(REAL_EXPORTS, tool);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body = JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown;
      const sourceIds = tool === 'n8n' ? n8nIds(body as Item) : nodeRedIds(body as Item[]);
      return { file, body, sourceIds };
    });
}
