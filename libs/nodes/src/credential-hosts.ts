import { NodeFailure, type CredentialValue } from '@hookflow/engine';

/** One `allowedHosts` entry: `api.example.com`, `*.example.com`, `host:8443`, `[::1]`. */
interface HostRule {
  host: string;
  /** `*.example.com`: any subdomain, not the domain itself. */
  subdomains: boolean;
  port?: string;
}

function parseRule(entry: string): HostRule {
  const subdomains = entry.startsWith('*.');
  const rest = (subdomains ? entry.slice(2) : entry).toLowerCase();
  const portAt = rest.lastIndexOf(':');
  // `[::1]` has colons of its own: a port, if any, follows the closing bracket.
  const hasPort = portAt !== -1 && portAt > rest.lastIndexOf(']');
  const host = hasPort ? rest.slice(0, portAt) : rest;
  return { host, subdomains, ...(hasPort ? { port: rest.slice(portAt + 1) } : {}) };
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function matches(rule: HostRule, url: URL): boolean {
  // WHATWG URL has lowercased (and punycoded) the hostname; IPv6 keeps its brackets.
  const host = url.hostname;
  const hostMatches = rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host;
  if (!hostMatches) return false;
  return rule.port === undefined || rule.port === (url.port || DEFAULT_PORTS[url.protocol]);
}

/** The credential's `allowedHosts`, when it has them. */
export function allowedHostsOf(credential: CredentialValue): string[] | undefined {
  const list = credential.data.allowedHosts;
  if (!Array.isArray(list)) return undefined;
  return list.filter((entry): entry is string => typeof entry === 'string');
}

/**
 * Fails unless `target` is on the credential's list: whoever edits a flow may change its URL, but
 * not where a bound credential's secret goes. Checked before anything is sent, the token request
 * of an OAuth 2 credential included.
 */
export function assertHostAllowed(
  allowedHosts: readonly string[] | undefined,
  target: string,
  credentialName: string | undefined,
): void {
  if (allowedHosts === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  if (url && allowedHosts.some((entry) => matches(parseRule(entry), url))) return;
  const host = url ? url.host : `"${target}"`;
  throw new NodeFailure(
    'credential_host_not_allowed',
    `credential "${credentialName ?? ''}" may only be sent to ${allowedHosts.join(', ')}, not to ${host}`,
  );
}
