import { deriveAction, summarize, targetIdOf } from './audit-action';

describe('audit actions from routes', () => {
  it('names changes by target type and verb', () => {
    expect(deriveAction('POST', '/api/flows')).toEqual({
      action: 'flow.create',
      targetType: 'flow',
    });
    expect(deriveAction('PUT', '/api/flows/:id')?.action).toBe('flow.update');
    expect(deriveAction('DELETE', '/api/flows/:id')?.action).toBe('flow.delete');
    expect(deriveAction('POST', '/api/flows/:id/enable')?.action).toBe('flow.enable');
    expect(deriveAction('POST', '/api/flows/:id/versions/:version/restore')?.action).toBe(
      'flow.versions.restore',
    );
    expect(deriveAction('DELETE', '/api/keys/:id')).toEqual({
      action: 'key.revoke',
      targetType: 'key',
    });
    expect(deriveAction('POST', '/api/credentials')?.action).toBe('credential.create');
  });

  it('leaves routes outside flows, credentials, keys and users alone', () => {
    expect(deriveAction('POST', '/api/executions/:id/cancel')).toBeUndefined();
    expect(deriveAction('POST', '/api/session')).toBeUndefined();
    expect(deriveAction('POST', '/hooks/:hookId')).toBeUndefined();
  });

  it('copies only safe answer fields: never a key, a secret or a document', () => {
    expect(
      summarize({
        id: 'k1',
        name: 'ci',
        scopes: ['read'],
        key: 'hf_secret',
        fields: { token: '••••' },
        document: { nodes: [] },
        data: { token: 'xoxb' },
      }),
    ).toEqual({ name: 'ci', scopes: ['read'] });
    expect(summarize(null)).toEqual({});
    expect(summarize([{ name: 'x' }])).toEqual({});
  });

  it("takes the target id from the route's :id, else from the created thing", () => {
    expect(targetIdOf({ id: 'from-route' }, { id: 'from-answer' })).toBe('from-route');
    expect(targetIdOf({}, { id: 'from-answer' })).toBe('from-answer');
    expect(targetIdOf(undefined, undefined)).toBeNull();
  });
});
