import { useEffect, useState } from 'react';
import type { JsonValue } from '../api/types';

interface JsonFieldProps {
  id: string;
  label: string;
  value: JsonValue | undefined;
  onChange: (value: JsonValue | undefined) => void;
}

/** Any value the form has no control for, edited as JSON (applied once it parses). */
export function JsonField({ id, label, value, onChange }: JsonFieldProps) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string>();
  useEffect(() => {
    setText(value === undefined ? '' : JSON.stringify(value, null, 2));
  }, [value]);
  const edit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setError(undefined);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(next) as JsonValue);
      setError(undefined);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label} (JSON)</label>
      <textarea
        id={id}
        className="code"
        rows={4}
        value={text}
        onChange={(event) => edit(event.target.value)}
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
