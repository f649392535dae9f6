import { useState } from 'react';
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from '../api/types';
import { ExpressionField } from './expression-field';
import { fieldProblems, placeholderFor } from './field-problems';
import type { PreviewContext } from './jsonata-preview';
import { JsonField } from './json-field';
import { KeyValueList } from './key-value-list';
import { fieldKind } from './schema-fields';

interface SchemaFormProps {
  idPrefix: string;
  schema: JsonSchema;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  preview?: PreviewContext;
  /** Problems from the API by property name (`params/<name>...`). */
  problems?: Map<string, string[]>;
}

interface PropertyFieldProps {
  id: string;
  /** The visible label: the schema's title, else the param name. */
  name: string;
  schema: JsonSchema;
  value: JsonValue | undefined;
  onChange: (value: JsonValue | undefined) => void;
  preview?: PreviewContext;
}

function PropertyField({ id, name, schema, value, onChange, preview }: PropertyFieldProps) {
  const kind = fieldKind(schema);
  const placeholder = placeholderFor(schema);
  const defaultText =
    schema.default === undefined
      ? undefined
      : `default: ${typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default)}`;
  const unit = schema['x-hookflow-unit'];
  switch (kind.kind) {
    case 'expression':
      if (value !== undefined && typeof value !== 'string') break;
      return (
        <ExpressionField
          id={id}
          label={name}
          language={kind.language}
          value={value ?? ''}
          onChange={(next) => onChange(next === '' ? undefined : next)}
          preview={preview}
        />
      );
    case 'select':
      return (
        <div className="field">
          <label htmlFor={id}>{name}</label>
          <select
            id={id}
            value={typeof value === 'string' ? value : ''}
            onChange={(event) => onChange(event.target.value || undefined)}
          >
            <option value="">{defaultText ?? '(not set)'}</option>
            {kind.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
      );
    case 'multi-select': {
      const chosen = Array.isArray(value)
        ? value
        : Array.isArray(schema.default)
          ? schema.default
          : [];
      return (
        <fieldset className="field" id={id}>
          <legend>{name}</legend>
          {kind.options.map((option) => (
            <label key={option} className="inline">
              <input
                type="checkbox"
                checked={chosen.includes(option)}
                onChange={(event) =>
                  onChange(
                    event.target.checked
                      ? [...chosen, option]
                      : chosen.filter((item) => item !== option),
                  )
                }
              />
              {option}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'text':
      return (
        <div className="field">
          <label htmlFor={id}>{name}</label>
          <input
            id={id}
            value={typeof value === 'string' ? value : ''}
            placeholder={placeholder}
            onChange={(event) => onChange(event.target.value || undefined)}
          />
        </div>
      );
    case 'number':
      return (
        <div className="field">
          <label htmlFor={id}>{name}</label>
          <div className="with-unit">
            <input
              id={id}
              type="number"
              step={kind.integer ? 1 : 'any'}
              min={schema.minimum}
              max={schema.maximum}
              placeholder={placeholder}
              value={typeof value === 'number' ? value : ''}
              aria-describedby={unit ? `${id}-unit` : undefined}
              onChange={(event) =>
                onChange(event.target.value === '' ? undefined : Number(event.target.value))
              }
            />
            {unit && (
              <span className="unit" id={`${id}-unit`}>
                {unit}
              </span>
            )}
          </div>
        </div>
      );
    case 'boolean':
      return (
        <div className="field">
          <label className="inline">
            <input
              type="checkbox"
              checked={typeof value === 'boolean' ? value : schema.default === true}
              onChange={(event) => onChange(event.target.checked)}
            />
            {name}
          </label>
        </div>
      );
    case 'string-list':
      return (
        <div className="field">
          <label htmlFor={id}>{name}</label>
          <textarea
            id={id}
            rows={3}
            placeholder={placeholder ?? 'one per line'}
            value={Array.isArray(value) ? value.join('\n') : ''}
            onChange={(event) => {
              const lines = event.target.value.split('\n');
              onChange(lines.length === 1 && lines[0] === '' ? undefined : lines);
            }}
          />
        </div>
      );
    case 'record':
      return (
        <KeyValueList
          id={id}
          label={name}
          value={isJsonObject(value) ? value : {}}
          onChange={onChange}
        />
      );
    case 'object':
      return (
        <fieldset className="field nested" id={id}>
          <legend>{name}</legend>
          <SchemaForm
            idPrefix={id}
            schema={kind.schema}
            value={isJsonObject(value) ? value : {}}
            onChange={(next) => onChange(Object.keys(next).length === 0 ? undefined : next)}
          />
        </fieldset>
      );
    case 'json':
      break;
  }
  return <JsonField id={id} label={name} value={value} onChange={onChange} />;
}

/** A form generated from a params JSON Schema; fields left empty are removed from the params. */
export function SchemaForm({
  idPrefix,
  schema,
  value,
  onChange,
  preview,
  problems,
}: SchemaFormProps) {
  // "Required" shows once a field was left; range and form problems show as they are typed.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const setProperty = (name: string, next: JsonValue | undefined) => {
    const copy: JsonObject = { ...value };
    if (next === undefined) delete copy[name];
    else copy[name] = next;
    onChange(copy);
  };
  return (
    <div className="schema-form">
      {properties.map(([name, property]) => {
        const id = `${idPrefix}-${name}`;
        const local = fieldProblems(property, value[name], required.has(name)).filter(
          (problem) => problem !== 'Required' || touched.has(name),
        );
        const shown = [...local, ...(problems?.get(name) ?? [])];
        return (
          <div
            key={name}
            className={shown.length > 0 ? 'property invalid' : 'property'}
            onBlur={() => !touched.has(name) && setTouched(new Set([...touched, name]))}
          >
            <PropertyField
              id={id}
              name={property.title ?? name}
              schema={property}
              value={value[name]}
              onChange={(next) => setProperty(name, next)}
              preview={preview}
            />
            {shown.map((problem) => (
              <p key={problem} className="field-error" role="note" id={`${id}-problem`}>
                {problem}
              </p>
            ))}
            {property.description && <p className="help">{property.description}</p>}
          </div>
        );
      })}
    </div>
  );
}
