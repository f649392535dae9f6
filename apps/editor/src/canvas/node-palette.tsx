import { useMemo, useState, type DragEvent } from 'react';
import type { NodeTypeView } from '../api/types';
import { NodeTypeSummary } from '../shared/node-icon';

export const DRAG_TYPE = 'application/hookflow-node-type';

interface NodePaletteProps {
  nodeTypes: NodeTypeView[];
  onAdd: (type: string) => void;
}

/** Placeholders for nodes an import could not convert: they exist only when imported. */
export const IMPORT_ONLY_TYPES: ReadonlySet<string> = new Set(['unsupported']);

/** Node types by category with a search; drag one onto the canvas, or press it to add it. */
export function NodePalette({ nodeTypes, onAdd }: NodePaletteProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const matching = nodeTypes.filter(
      (type) =>
        !IMPORT_ONLY_TYPES.has(type.type) &&
        [type.label, type.type, type.description, type.category].some((text) =>
          text.toLowerCase().includes(needle),
        ),
    );
    const byCategory = new Map<string, NodeTypeView[]>();
    for (const type of matching)
      byCategory.set(type.category, [...(byCategory.get(type.category) ?? []), type]);
    return [...byCategory.entries()];
  }, [nodeTypes, query]);

  const startDrag = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" aria-label="Node types">
      <input
        type="search"
        aria-label="Search node types"
        placeholder="Search nodes"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {groups.map(([category, types]) => (
        <section key={category}>
          <h3>{category}</h3>
          {types.map((type) => (
            <button
              type="button"
              key={type.type}
              className={`palette-item category-${type.category}`}
              draggable
              onDragStart={(event) => startDrag(event, type.type)}
              onClick={() => onAdd(type.type)}
              title={type.description}
              aria-label={`Add ${type.label}`}
              data-node-type={type.type}
            >
              <NodeTypeSummary type={type} />
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
