import type { JsonObject } from '../api/types';

interface NodeSettingsProps {
  nodeId: string;
  extra: JsonObject;
  credentialNames: string[];
  onChange: (extra: JsonObject) => void;
}

const ON_ERROR = ['stop', 'continue', 'route'] as const;

/** Node fields outside params: what a failure does, and switching the node off. */
export function NodeSettings({ nodeId, extra, credentialNames, onChange }: NodeSettingsProps) {
  const set = (key: string, value: string | boolean | undefined) => {
    const next: JsonObject = { ...extra };
    if (value === undefined || value === false) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const onError = typeof extra.onError === 'string' ? extra.onError : '';
  const credential = typeof extra.credential === 'string' ? extra.credential : '';
  return (
    <details className="node-settings">
      <summary>Settings</summary>
      <div className="field">
        <label htmlFor={`settings-${nodeId}-credential`}>Credential (name)</label>
        <input
          id={`settings-${nodeId}-credential`}
          list={`settings-${nodeId}-credentials`}
          value={credential}
          onChange={(event) => set('credential', event.target.value || undefined)}
        />
        <datalist id={`settings-${nodeId}-credentials`}>
          {credentialNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`settings-${nodeId}-onError`}>On error</label>
        <select
          id={`settings-${nodeId}-onError`}
          value={onError}
          onChange={(event) => set('onError', event.target.value || undefined)}
        >
          <option value="">stop (default): the run fails here</option>
          {ON_ERROR.filter((mode) => mode !== 'stop').map((mode) => (
            <option key={mode} value={mode}>
              {mode === 'route' ? 'route: send the error to the `error` port' : 'continue'}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="inline">
          <input
            type="checkbox"
            checked={extra.disabled === true}
            onChange={(event) => set('disabled', event.target.checked)}
          />
          Disabled (skipped in runs)
        </label>
      </div>
    </details>
  );
}
