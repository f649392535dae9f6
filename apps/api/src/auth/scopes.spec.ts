import { expandScopes, hasScope, scopeForMethod } from './scopes';

describe('scopes', () => {
  it('orders read < write < admin: a stronger scope implies the weaker ones', () => {
    expect(hasScope(['admin'], 'read')).toBe(true);
    expect(hasScope(['admin'], 'write')).toBe(true);
    expect(hasScope(['write'], 'read')).toBe(true);
    expect(hasScope(['write'], 'admin')).toBe(false);
    expect(hasScope(['read'], 'write')).toBe(false);
    expect(hasScope([], 'read')).toBe(false);
    expect(expandScopes(['write'])).toEqual(['read', 'write']);
  });

  it('needs read to read and write for anything else', () => {
    expect(scopeForMethod('GET')).toBe('read');
    expect(scopeForMethod('HEAD')).toBe('read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(scopeForMethod(method)).toBe('write');
    }
  });
});
