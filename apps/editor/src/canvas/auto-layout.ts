export interface Point {
  x: number;
  y: number;
}

export const COLUMN_GAP = 280;
export const ROW_GAP = 140;

/**
 * A layered left-to-right layout: a node's column is the longest path to it from a root,
 * rows stack the nodes of one column. Cycles (invalid anyway) are cut where found.
 */
export function layoutPositions(
  ids: readonly string[],
  edges: ReadonlyArray<{ from: string; to: string }>,
): Point[] {
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of edges) parents.get(edge.to)?.push(edge.from);
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const ofParents = (parents.get(id) ?? []).filter((p) => parents.has(p)).map(depth);
    const value = ofParents.length === 0 ? 0 : Math.max(...ofParents) + 1;
    visiting.delete(id);
    column.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  return ids.map((id) => {
    const col = depth(id);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { x: col * COLUMN_GAP, y: row * ROW_GAP };
  });
}
