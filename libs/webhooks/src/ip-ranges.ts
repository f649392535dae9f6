import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The one parser of IP addresses and CIDR ranges. The configuration check
 * (`HOOKFLOW_TRUSTED_PROXIES`, `HOOKFLOW_OUTBOUND_ALLOW`), a trigger's IP allowlist and the
 * outbound network guard all read ranges here, so a range one of them accepts the others
 * accept too (and one refused at start cannot fail later on a delivery).
 */

/** An address as ranges match it, with the family `BlockList` needs. */
export interface NormalizedIp {
  address: string;
  family: 'ipv4' | 'ipv6';
}

/** One parsed entry: a single address, or a network with its prefix length. */
export interface IpRange extends NormalizedIp {
  prefix?: number;
}

export type ParsedIpRange = { ok: true; range: IpRange } | { ok: false; problem: string };

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * An address in the form ranges are matched in: IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a
 * dual-stack socket reports for IPv4 peers) becomes plain IPv4, so a v4 address cannot hide in
 * a v6 one; an IPv6 zone (`%eth0`) is dropped. Undefined when the text is not an IP address.
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

/** Whether the text names an IP address or a range at all (as opposed to a hostname). */
export function looksLikeIpRange(entry: string): boolean {
  return normalizeIp(entry.trim().split('/')[0] ?? '') !== undefined;
}

/** Parses `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104` or a single address. */
export function parseIpRange(entry: string): ParsedIpRange {
  const [base, prefixText, extra] = entry.trim().split('/');
  const address = normalizeIp(base ?? '');
  if (!address || extra !== undefined) {
    return { ok: false, problem: `"${entry}" is not an IP address or CIDR range` };
  }
  if (prefixText === undefined) return { ok: true, range: address };
  let prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  // `::ffff:10.0.0.0/104` names IPv4 addresses, which normalizeIp made plain IPv4: 104 - 96 = 8.
  if (address.family === 'ipv4' && base.includes(':')) prefix -= 96;
  const maximum = address.family === 'ipv4' ? 32 : 128;
  if (!(prefix >= 0 && prefix <= maximum)) {
    return { ok: false, problem: `"${entry}" has a prefix length outside 0-${maximum}` };
  }
  return { ok: true, range: { ...address, prefix } };
}

/** A set of ranges, matched with node's `BlockList` (used as a set, not to block anything). */
export class IpRangeSet {
  private readonly list = new BlockList();
  private count = 0;

  add(range: IpRange): void {
    if (range.prefix === undefined) this.list.addAddress(range.address, range.family);
    else this.list.addSubnet(range.address, range.prefix, range.family);
    this.count += 1;
  }

  /** No ranges: nothing lies in it (the usual trusted-proxy list, checked per request). */
  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Whether the address (any textual form normalizeIp reads) lies in one of the ranges. */
  has(address: NormalizedIp | string): boolean {
    // BlockList.check allocates a SocketAddress per call: skip it when there is nothing to match.
    if (this.count === 0) return false;
    const normalized = typeof address === 'string' ? normalizeIp(address) : address;
    return normalized !== undefined && this.list.check(normalized.address, normalized.family);
  }
}

/** Compiles entries into a set, pushing one line per bad entry (all of them, not the first). */
export function compileIpRanges(entries: readonly string[], problems: string[]): IpRangeSet {
  const set = new IpRangeSet();
  for (const entry of entries) {
    const parsed = parseIpRange(entry);
    if (parsed.ok) set.add(parsed.range);
    else problems.push(parsed.problem);
  }
  return set;
}
