import type { CredentialView, JsonObject } from '../api/types';

interface NodeSettingsProps {
  nodeId: string;
  extra: JsonObject;
  credentials: CredentialView[];
  onChange: (extra: JsonObject) => void;
}

const ON_ERROR = ['stop', 'continue', 'route'] as const;

/** Node fields outside params: what a failure does, and switching the node off. */
export function NodeSettings({ nodeId, extra, credentials, onChange }: NodeSettingsProps) {
  const set = (key: string, value: string | boolean | undefined) => {
    const next: JsonObject = { ...extra };
    if (value === undefined || value === false) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const onError = typeof extra.onError === 'string' ? extra.onError : '';
  const credential = typeof extra.credential === 'string' ? extra.credential : '';
  const known = credentials.some((item) => item.name === credential);
  return (
    <details className="node-settings" open={credential !== '' && !known}>
      <summary>Settings</summary>
      <div className="field">
        <label htmlFor={`settings-${nodeId}-credential`}>Credential</label>
        <select
          id={`settings-${nodeId}-credential`}
          value={credential}
          onChange={(event) => set('credential', event.target.value || undefined)}
        >
          <option value="">(none)</option>
          {credentials.map((item) => (
            <option key={item.id} value={item.name}>
              {item.name} ({item.type})
            </option>
          ))}
          {credential !== '' && !known && (
            <option value={credential}>{credential} (not created yet)</option>
          )}
        </select>
        {credential !== '' && !known && (
          <p className="field-error" role="note">
            No credential named {credential} yet: add it on the Credentials page.
          </p>
        )}
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
