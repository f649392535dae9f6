import { isJsonObject, type CredentialView, type JsonObject, type JsonSchema } from '../api/types';
import { credentialTypesFor, schemeFields } from './auth-schemes';
import type { PreviewContext } from './jsonata-preview';
import { SchemaForm } from './schema-form';
import { literalValues, pickProperties } from './schema-subset';

interface TriggerSettingsProps {
  nodeId: string;
  schema: JsonSchema;
  params: JsonObject;
  onChange: (params: JsonObject) => void;
  credentials: CredentialView[];
  preview?: PreviewContext;
}

/** Sets or removes one param. */
function withParam(params: JsonObject, name: string, value: JsonObject | undefined): JsonObject {
  const next: JsonObject = { ...params };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/** `params.auth`: the scheme, a credential that fits it and the scheme's own fields. */
function AuthForm({ nodeId, schema, params, onChange, credentials }: TriggerSettingsProps) {
  const authSchema = schema.properties?.auth ?? {};
  const schemes = literalValues(authSchema.properties?.scheme);
  const auth = isJsonObject(params.auth) ? params.auth : undefined;
  const scheme = typeof auth?.scheme === 'string' ? auth.scheme : '';
  const credential = typeof auth?.credential === 'string' ? auth.credential : '';
  const id = `trigger-${nodeId}-auth`;
  const fields = schemeFields(scheme, typeof auth?.timestampHeader === 'string');
  const fitting = credentials.filter((item) => credentialTypesFor(scheme).includes(item.type));
  const known = fitting.some((item) => item.name === credential);

  const setAuth = (next: JsonObject | undefined) => onChange(withParam(params, 'auth', next));
  const chooseScheme = (next: string) => {
    if (!next) return setAuth(undefined);
    // Fields of the previous scheme mean nothing to the new one: only the credential stays.
    setAuth({ scheme: next, credential });
  };

  return (
    <fieldset className="field nested trigger-auth" aria-label="Sender verification">
      <legend>Sender verification (params.auth)</legend>
      <div className="field">
        <label htmlFor={`${id}-scheme`}>Provider / scheme</label>
        <select
          id={`${id}-scheme`}
          value={scheme}
          onChange={(event) => chooseScheme(event.target.value)}
        >
          <option value="">none: anyone with the URL may post</option>
          {schemes.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        {authSchema.properties?.scheme?.description && (
          <p className="help">{authSchema.properties.scheme.description}</p>
        )}
      </div>
      {auth && (
        <>
          <div className="field">
            <label htmlFor={`${id}-credential`}>Credential</label>
            <select
              id={`${id}-credential`}
              value={credential}
              onChange={(event) => setAuth({ ...auth, credential: event.target.value })}
            >
              <option value="">(choose a credential)</option>
              {fitting.map((item) => (
                <option key={item.id} value={item.name}>
                  {item.name} ({item.type})
                </option>
              ))}
              {credential && !known && <option value={credential}>{credential} (not found)</option>}
            </select>
            <p className="help">
              {fitting.length === 0
                ? `No ${credentialTypesFor(scheme).join(' / ')} credential yet: add one on the Credentials page.`
                : `Types that fit ${scheme}: ${credentialTypesFor(scheme).join(', ')}.`}
            </p>
          </div>
          {fields.length > 0 && (
            <SchemaForm
              idPrefix={id}
              schema={pickProperties(authSchema, fields)}
              value={auth}
              onChange={(next) => setAuth({ ...next, scheme, credential })}
            />
          )}
        </>
      )}
    </fieldset>
  );
}

/** How the trigger answers the sender: at once (202) or with the run's result. */
function ResponseForm({ nodeId, schema, params, onChange }: TriggerSettingsProps) {
  const waits = params.respond === 'when-finished';
  return (
    <fieldset className="field nested trigger-response" aria-label="Response">
      <legend>Response to the sender</legend>
      <SchemaForm
        idPrefix={`trigger-${nodeId}-response`}
        schema={pickProperties(schema, waits ? ['respond', 'timeoutMs'] : ['respond'])}
        value={params}
        onChange={(next) => {
          // The timeout only applies while waiting for the run.
          const { timeoutMs, ...rest } = next;
          onChange(next.respond === 'when-finished' && timeoutMs !== undefined ? next : rest);
        }}
      />
    </fieldset>
  );
}

/** The trigger's settings with forms of their own: sender verification and the response. */
export const TRIGGER_FORM_PARAMS = ['auth', 'respond', 'timeoutMs'] as const;

export function TriggerSettings(props: TriggerSettingsProps) {
  return (
    <>
      <ResponseForm {...props} />
      <AuthForm {...props} />
    </>
  );
}
