import { compileIpRanges, normalizeIp, type IpRangeSet, type NormalizedIp } from './ip-ranges';

/** A trigger's address rules, as the owner writes them: CIDRs (`10.0.0.0/8`) or addresses. */
export interface IpRulesConfig {
  /** Who may post. Undefined: anyone (the rules then only resolve the client address). */
  allow?: readonly string[];
  /** Proxies in front of Hookflow whose `X-Forwarded-For` is believed. Default: none. */
  trustedProxies?: readonly string[];
}

/** Compiled once per flow version: the ranges allowed and trusted. */
export interface IpRules {
  readonly allow: IpRangeSet | undefined;
  readonly trustedProxies: IpRangeSet;
}

export type CompiledIpRules = { ok: true; rules: IpRules } | { ok: false; problems: string[] };

export interface ClientAddress {
  /** The address of the TCP peer (`request.socket.remoteAddress`). */
  peerAddress: string;
  /** The `X-Forwarded-For` header, several headers joined with `, `. */
  forwardedFor?: string;
}

export type IpCheck = { ok: true; clientIp: string } | { ok: false; reason: string };

/** One `X-Forwarded-For` hop: an address, possibly with a port (`1.2.3.4:80`, `[::1]:443`). */
function hopAddress(hop: string): NormalizedIp | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return normalizeIp(bracketed[1]);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return normalizeIp(withPort ? withPort[1] : hop);
}

/** Compiles the rules, listing every bad entry at once (for the editor) instead of the first. */
export function compileIpRules(config: IpRulesConfig): CompiledIpRules {
  const problems: string[] = [];
  if (config.allow?.length === 0)
    problems.push('the allowlist is empty: add a range or remove the rule');
  const allow = config.allow ? compileIpRanges(config.allow, problems) : undefined;
  const trustedProxies = compileIpRanges(config.trustedProxies ?? [], problems);
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, rules: { allow, trustedProxies } };
}

/**
 * The client's address. `X-Forwarded-For` is believed only when the peer is a trusted proxy,
 * and then read from the right: each trusted hop is skipped and the first untrusted one is the
 * client. Hops further left were written by whoever sent the request and prove nothing.
 */
export function resolveClientIp(rules: IpRules, input: ClientAddress): IpCheck {
  const peer = normalizeIp(input.peerAddress);
  if (!peer) return { ok: false, reason: `peer address ${input.peerAddress} is not an IP address` };
  if (!rules.trustedProxies.has(peer) || !input.forwardedFor?.trim()) {
    return { ok: true, clientIp: peer.address };
  }
  const hops = input.forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hopAddress(hops[index]);
    if (!hop)
      return { ok: false, reason: `X-Forwarded-For entry "${hops[index]}" is not an IP address` };
    client = hop;
    if (!rules.trustedProxies.has(hop)) break;
  }
  return { ok: true, clientIp: client.address };
}

/**
 * The address a request counts against (per-client caps, rate limits): the client behind trusted
 * proxies, or the peer when there is none or the header cannot be read. Per request: without a
 * trusted proxy it reads nothing.
 */
export function clientAddressOf(rules: IpRules, input: ClientAddress): string {
  if (rules.trustedProxies.isEmpty) return input.peerAddress;
  const resolved = resolveClientIp(rules, input);
  return resolved.ok ? resolved.clientIp : input.peerAddress;
}

/** Resolves the client address and checks it against the allowlist. */
export function checkClientIp(rules: IpRules, input: ClientAddress): IpCheck {
  const resolved = resolveClientIp(rules, input);
  if (!resolved.ok || !rules.allow) return resolved;
  if (rules.allow.has(resolved.clientIp)) return resolved;
  return {
    ok: false,
    reason: `address ${resolved.clientIp} is not in the allowlist of this trigger`,
  };
}
