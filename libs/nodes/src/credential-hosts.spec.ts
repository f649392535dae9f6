import { NodeFailure } from '@hookflow/engine';
import { assertHostAllowed } from './credential-hosts';

function verdict(allowedHosts: string[] | undefined, url: string): string {
  try {
    assertHostAllowed(allowedHosts, url, 'crm');
    return 'sent';
  } catch (error) {
    return error instanceof NodeFailure ? error.code : String(error);
  }
}

describe('a credential bound to allowedHosts', () => {
  it('goes anywhere when the list is unset', () => {
    expect(verdict(undefined, 'https://anything.example/x')).toBe('sent');
  });

  it.each([
    ['api.example.com', 'https://api.example.com/v1/items', 'sent'],
    ['API.Example.com', 'https://api.EXAMPLE.com/', 'sent'],
    ['api.example.com', 'https://api.example.com:8443/', 'sent'],
    ['api.example.com', 'https://evil.example/?to=api.example.com', 'credential_host_not_allowed'],
    ['api.example.com', 'https://api.example.com.evil.example/', 'credential_host_not_allowed'],
    ['api.example.com', 'https://api.example.com@evil.example/', 'credential_host_not_allowed'],
    ['*.example.com', 'https://eu.api.example.com/', 'sent'],
    ['*.example.com', 'https://example.com/', 'credential_host_not_allowed'],
    ['*.example.com', 'https://badexample.com/', 'credential_host_not_allowed'],
    ['api.example.com:443', 'https://api.example.com/', 'sent'],
    ['api.example.com:443', 'http://api.example.com/', 'credential_host_not_allowed'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080/x', 'sent'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8081/x', 'credential_host_not_allowed'],
    ['[::1]', 'http://[::1]:3000/x', 'sent'],
    ['[::1]:3000', 'http://[::1]:3000/x', 'sent'],
    ['[::1]:3000', 'http://[::1]:3001/x', 'credential_host_not_allowed'],
    ['api.example.com', 'not a url', 'credential_host_not_allowed'],
  ])('%s and %s: %s', (entry, url, expected) => {
    expect(verdict([entry], url)).toBe(expected);
  });

  it('names the credential, its hosts and the refused host', () => {
    expect(() =>
      assertHostAllowed(['a.example', 'b.example'], 'https://c.example:444/x', 'crm'),
    ).toThrow('credential "crm" may only be sent to a.example, b.example, not to c.example:444');
  });
});
