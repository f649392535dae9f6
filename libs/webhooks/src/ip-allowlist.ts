import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A trigger's address rules, as the owner writes them: CIDRs (`10.0.0.0/8`) or addresses. */
export interface IpRulesConfig {
  /** Who may post. Undefined: anyone (the rules then only resolve the client address). */
  allow?: readonly string[];
  /** Proxies in front of Hookflow whose `X-Forwarded-For` is believed. Default: none. */
  trustedProxies?: readonly string[];
}

/** Compiled once per flow version; `BlockList` is used as a set of ranges, allowed or trusted. */
export interface IpRules {
  readonly allow: BlockList | undefined;
  readonly trustedProxies: BlockList;
}

export type CompiledIpRules = { ok: true; rules: IpRules } | { ok: false; problems: string[] };

export interface ClientAddress {
  /** The address of the TCP peer (`request.socket.remoteAddress`). */
  peerAddress: string;
  /** The `X-Forwarded-For` header, several headers joined with `, `. */
  forwardedFor?: string;
}

export type IpCheck = { ok: true; clientIp: string } | { ok: false; reason: string };

/** An address as rules match it, with the family `BlockList` needs. */
export interface NormalizedIp {
  address: string;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * An address in the form rules are matched in: IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a
 * dual-stack socket reports for IPv4 peers) becomes plain IPv4; an IPv6 zone (`%eth0`) is
 * dropped. Returns undefined when the text is not an IP address.
 */
export function normalizeIp(text: string): NormalizedIp | undefined {
  const trimmed = text.trim();
  const mapped = MAPPED_IPV4.exec(trimmed);
  if (mapped && isIPv4(mapped[1])) return { address: mapped[1], family: 'ipv4' };
  if (isIPv4(trimmed)) return { address: trimmed, family: 'ipv4' };
  const unzoned = trimmed.split('%')[0];
  if (isIPv6(unzoned)) return { address: unzoned.toLowerCase(), family: 'ipv6' };
  return undefined;
}

/** One `X-Forwarded-For` hop: an address, possibly with a port (`1.2.3.4:80`, `[::1]:443`). */
function hopAddress(hop: string): NormalizedIp | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return normalizeIp(bracketed[1]);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return normalizeIp(withPort ? withPort[1] : hop);
}

function addRange(list: BlockList, entry: string): string | undefined {
  const [base, prefixText, extra] = entry.trim().split('/');
  const address = normalizeIp(base ?? '');
  if (!address || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
  if (prefixText === undefined) {
    list.addAddress(address.address, address.family);
    return undefined;
  }
  let prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  // `::ffff:10.0.0.0/104` names IPv4 addresses, which normalizeIp made plain IPv4: 104 - 96 = 8.
  if (address.family === 'ipv4' && base.includes(':')) prefix -= 96;
  const maximum = address.family === 'ipv4' ? 32 : 128;
  if (!(prefix >= 0 && prefix <= maximum))
    return `"${entry}" has a prefix length outside 0-${maximum}`;
  list.addSubnet(address.address, prefix, address.family);
  return undefined;
}

function compileList(entries: readonly string[], problems: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const problem = addRange(list, entry);
    if (problem) problems.push(problem);
  }
  return list;
}

/** Compiles the rules, listing every bad entry at once (for the editor) instead of the first. */
export function compileIpRules(config: IpRulesConfig): CompiledIpRules {
  const problems: string[] = [];
  if (config.allow?.length === 0)
    problems.push('the allowlist is empty: add a range or remove the rule');
  const allow = config.allow ? compileList(config.allow, problems) : undefined;
  const trustedProxies = compileList(config.trustedProxies ?? [], problems);
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, rules: { allow, trustedProxies } };
}

function contains(list: BlockList, address: NormalizedIp): boolean {
  return list.check(address.address, address.family);
}

/**
 * The client's address. `X-Forwarded-For` is believed only when the peer is a trusted proxy,
 * and then read from the right: each trusted hop is skipped and the first untrusted one is the
 * client. Hops further left were written by whoever sent the request and prove nothing.
 */
export function resolveClientIp(rules: IpRules, input: ClientAddress): IpCheck {
  const peer = normalizeIp(input.peerAddress);
  if (!peer) return { ok: false, reason: `peer address ${input.peerAddress} is not an IP address` };
  if (!contains(rules.trustedProxies, peer) || !input.forwardedFor?.trim()) {
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
    if (!contains(rules.trustedProxies, hop)) break;
  }
  return { ok: true, clientIp: client.address };
}

/** Resolves the client address and checks it against the allowlist. */
export function checkClientIp(rules: IpRules, input: ClientAddress): IpCheck {
  const resolved = resolveClientIp(rules, input);
  if (!resolved.ok || !rules.allow) return resolved;
  const client = normalizeIp(resolved.clientIp);
  if (client && contains(rules.allow, client)) return resolved;
  return {
    ok: false,
    reason: `address ${resolved.clientIp} is not in the allowlist of this trigger`,
  };
}
