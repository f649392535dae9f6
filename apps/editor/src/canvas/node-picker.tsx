import { createContext, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { NodeTypeView } from '../api/types';
import { NodeTypeSummary } from '../shared/node-icon';
import { IMPORT_ONLY_TYPES } from './node-palette';

/** Where the picked node goes: fed by `from`'s `port`, at `position` (flow coordinates) if given. */
export interface PickerRequest {
  from: string;
  port: string;
  position?: { x: number; y: number };
}

/** Lets each node's "+" buttons open the picker without passing callbacks through React Flow. */
export const OpenPickerContext = createContext<(request: PickerRequest) => void>(() => undefined);

interface NodePickerProps {
  request: PickerRequest;
  nodeTypes: NodeTypeView[];
  onPick: (type: string) => void;
  onClose: () => void;
}

/** Node types that can follow another node, matching the search (label, type, description). */
function matchingTypes(nodeTypes: NodeTypeView[], query: string): NodeTypeView[] {
  const needle = query.trim().toLowerCase();
  return nodeTypes.filter(
    (type) =>
      !type.isTrigger &&
      !IMPORT_ONLY_TYPES.has(type.type) &&
      [type.label, type.type, type.description, type.category].some((text) =>
        text.toLowerCase().includes(needle),
      ),
  );
}

/**
 * The "+" picker: type to search, arrows to choose, Enter to add the node already connected;
 * Escape closes it. Focus starts in the search field.
 */
export function NodePicker({ request, nodeTypes, onPick, onClose }: NodePickerProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const options = useMemo(() => matchingTypes(nodeTypes, query), [nodeTypes, query]);
  const current = Math.min(active, Math.max(options.length - 1, 0));
  useEffect(() => search.current?.focus(), []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + options.length) % Math.max(options.length, 1));
    } else if (event.key === 'Enter' && options[current]) {
      event.preventDefault();
      onPick(options[current].type);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  const title = `Add a node after ${request.from}${request.port === 'main' ? '' : ` (${request.port})`}`;
  return (
    <div className="picker-backdrop" onMouseDown={onClose}>
      <div
        className="node-picker"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <h3>{title}</h3>
        <input
          ref={search}
          type="search"
          role="combobox"
          aria-label="Search node types to add"
          aria-expanded="true"
          aria-controls="node-picker-options"
          aria-activedescendant={options[current] ? `pick-${options[current].type}` : undefined}
          placeholder="Search nodes…"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
        />
        <ul role="listbox" id="node-picker-options" aria-label="Node types">
          {options.map((type, index) => (
            <li
              key={type.type}
              id={`pick-${type.type}`}
              role="option"
              aria-selected={index === current}
              className={`picker-option category-${type.category}`}
              onMouseEnter={() => setActive(index)}
              onClick={() => onPick(type.type)}
            >
              <NodeTypeSummary type={type} />
            </li>
          ))}
          {options.length === 0 && <li className="hint">No node type matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
