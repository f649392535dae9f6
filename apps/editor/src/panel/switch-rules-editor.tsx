import { isJsonObject, type JsonObject, type JsonValue } from '../api/types';
import { ExpressionField } from './expression-field';
import type { PreviewContext } from './jsonata-preview';

interface Rule {
  port: string;
  condition: string;
}

interface SwitchRulesEditorProps {
  id: string;
  value: JsonValue | undefined;
  onChange: (rules: JsonValue | undefined) => void;
  preview?: PreviewContext;
}

const PORT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function readRules(value: JsonValue | undefined): Rule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((rule) => ({
    port: typeof rule.port === 'string' ? rule.port : '',
    condition: typeof rule.condition === 'string' ? rule.condition : '',
  }));
}

/** Why a port name cannot be used, or undefined. */
export function portProblem(rules: Rule[], index: number): string | undefined {
  const port = rules[index].port;
  if (!PORT_NAME.test(port)) return 'A letter, then letters, digits, _ or - (32 at most)';
  if (port === 'default' || port === 'error') return `"${port}" is a reserved port`;
  if (rules.findIndex((rule) => rule.port === port) !== index) return 'Another rule has this port';
  return undefined;
}

/** A port name no rule uses yet: `rule1`, `rule2`, ... */
function freePort(rules: Rule[]): string {
  for (let n = rules.length + 1; ; n += 1) {
    if (!rules.some((rule) => rule.port === `rule${n}`)) return `rule${n}`;
  }
}

/**
 * A switch's rules in order: each a JSONata condition (CodeMirror, previewed against the node's
 * input) and the output port it routes to; rules can be added, removed and moved.
 */
export function SwitchRulesEditor({ id, value, onChange, preview }: SwitchRulesEditorProps) {
  const rules = readRules(value);
  const save = (next: Rule[]) =>
    onChange(next.length === 0 ? undefined : next.map((rule): JsonObject => ({ ...rule })));
  const update = (index: number, patch: Partial<Rule>) =>
    save(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rules];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    save(next);
  };

  return (
    <fieldset className="field nested rules" id={id} aria-label="Rules">
      <legend>rules (first match wins in mode `first`; `default` when none holds)</legend>
      {rules.length === 0 && <p className="hint">No rule yet: every message goes to `default`.</p>}
      <ol className="rule-list">
        {rules.map((rule, index) => {
          const n = index + 1;
          const problem = portProblem(rules, index);
          return (
            <li key={index} className="rule" aria-label={`Rule ${n}`}>
              <div className="rule-head">
                <label htmlFor={`${id}-${index}-port`}>Port of rule {n}</label>
                <input
                  id={`${id}-${index}-port`}
                  className="code"
                  value={rule.port}
                  aria-invalid={problem !== undefined}
                  onChange={(event) => update(index, { port: event.target.value })}
                />
                <button
                  type="button"
                  className="quiet"
                  aria-label={`Move rule ${n} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="quiet"
                  aria-label={`Move rule ${n} down`}
                  disabled={index === rules.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="quiet danger"
                  aria-label={`Remove rule ${n}`}
                  onClick={() => save(rules.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </div>
              {problem && (
                <p className="field-error" role="note">
                  {problem}
                </p>
              )}
              <ExpressionField
                id={`${id}-${index}-condition`}
                label={`Condition of rule ${n}`}
                language="jsonata"
                value={rule.condition}
                onChange={(condition) => update(index, { condition })}
                preview={preview}
              />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() => save([...rules, { port: freePort(rules), condition: '' }])}
      >
        Add rule
      </button>
    </fieldset>
  );
}
