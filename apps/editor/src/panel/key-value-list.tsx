import type { JsonObject, JsonValue } from '../api/types';

interface KeyValueListProps {
  id: string;
  label: string;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
}

/** A record (`headers`, ...) as editable key/value rows. */
export function KeyValueList({ id, label, value, onChange }: KeyValueListProps) {
  const entries = Object.entries(value);
  const update = (index: number, key: string, item: JsonValue) => {
    const next = entries.map((entry, i): [string, JsonValue] =>
      i === index ? [key, item] : entry,
    );
    onChange(Object.fromEntries(next));
  };
  return (
    <fieldset className="field key-values" id={id}>
      <legend>{label}</legend>
      {entries.map(([key, item], index) => (
        <div className="row" key={index}>
          <input
            aria-label={`${label} key ${index + 1}`}
            value={key}
            onChange={(event) => update(index, event.target.value, item)}
          />
          <input
            aria-label={`${label} value ${index + 1}`}
            className="code"
            value={typeof item === 'string' ? item : JSON.stringify(item)}
            onChange={(event) => update(index, key, event.target.value)}
          />
          <button
            type="button"
            aria-label={`Remove ${label} ${key || index + 1}`}
            onClick={() => onChange(Object.fromEntries(entries.filter((_, i) => i !== index)))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange({ ...value, [`key${entries.length + 1}`]: '' })}
      >
        Add {label.toLowerCase()} entry
      </button>
    </fieldset>
  );
}
