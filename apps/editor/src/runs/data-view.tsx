import { useId, useMemo, useState, type DragEvent } from 'react';
import type { JsonValue } from '../api/types';
import { schemaOf, tableOf } from './data-table';
import { JsonViewer } from './json-viewer';

type DataMode = 'table' | 'json' | 'schema';
const MODES: Array<[DataMode, string]> = [
  ['table', 'Table'],
  ['json', 'JSON'],
  ['schema', 'Schema'],
];

/** Lets a field path be dragged into an expression field (CodeMirror inserts dropped text). */
const dragPath = (path: string) => ({
  draggable: true,
  title: `Drag into an expression to insert ${path}`,
  onDragStart: (event: DragEvent) => {
    event.dataTransfer.setData('text/plain', path);
    event.dataTransfer.effectAllowed = 'copy';
  },
});

const matches = (needle: string, texts: string[]) =>
  needle === '' || texts.some((text) => text.toLowerCase().includes(needle));

/** A step's input or output as a table, as JSON or as its schema, with a search over it. */
export function DataView({ label, value }: { label: string; value: JsonValue }) {
  const [mode, setMode] = useState<DataMode>('table');
  const [query, setQuery] = useState('');
  const name = useId();
  const needle = query.trim().toLowerCase();
  const table = useMemo(() => tableOf(value), [value]);
  const schema = useMemo(() => schemaOf(value), [value]);
  const rows = table.rows.filter((row) => matches(needle, row));
  const columns = table.columns
    .map((column, index) => ({ column, index }))
    .filter(({ column, index }) => matches(needle, [column, ...rows.map((row) => row[index])]));
  return (
    <div className="data-view" role="group" aria-label={label}>
      <div className="data-view-bar">
        <div role="radiogroup" aria-label={`View of ${label}`} className="segmented">
          {MODES.map(([id, text]) => (
            <label key={id} className={mode === id ? 'on' : ''}>
              <input type="radio" name={name} checked={mode === id} onChange={() => setMode(id)} />
              {text}
            </label>
          ))}
        </div>
        <input
          type="search"
          aria-label={`Search ${label}`}
          placeholder="Search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {mode === 'json' && <JsonViewer label={`${label} (JSON)`} value={value} />}
      {mode === 'table' && (
        <div className="data-table-wrap">
          <table className="data-table" aria-label={`${label} (table)`}>
            <thead>
              <tr>
                {columns.map(({ column }) => (
                  <th key={column} {...(column === 'value' ? {} : dragPath(column))}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(needle && columns.length === 0 ? [] : rows).map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {columns.map(({ column, index }) => (
                    <td key={column}>{row[index]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mode === 'schema' && (
        <ul className="data-schema" aria-label={`${label} (schema)`}>
          {schema
            .filter((field) => matches(needle, [field.path, field.example]))
            .map((field) => (
              <li key={field.path}>
                <code className="field-path" {...dragPath(field.path)}>
                  {field.path}
                </code>{' '}
                <span className="type">{field.type}</span>{' '}
                {field.example && <span className="example">{field.example}</span>}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
