import { IpRangeSet, looksLikeIpRange, normalizeIp, parseIpRange } from '@hookflow/webhooks';

/** Address ranges an outbound call may not reach unless allowlisted: SSRF protection. */
const PRIVATE_RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 96, 'ipv6'], // unspecified and IPv4-compatible (::a.b.c.d)
  ['64:ff9b::', 96, 'ipv6'], // NAT64: reaches any IPv4 address, private ones included
  ['64:ff9b:1::', 48, 'ipv6'],
  ['2002::', 16, 'ipv6'], // 6to4 embeds an IPv4 address
  ['100::', 64, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export class NetworkGuard {
  private readonly blocked = new IpRangeSet();
  private readonly allowed = new IpRangeSet();
  private readonly allowedHosts = new Set<string>();

  /**
   * @param allowlist hostnames, IPs or CIDRs (`127.0.0.1`, `10.0.0.0/8`, `localhost`), as the
   * configuration check (the same parser) has accepted them
   */
  constructor(allowlist: readonly string[]) {
    for (const [address, prefix, family] of PRIVATE_RANGES) {
      this.blocked.add({ address, prefix, family });
    }
    for (const entry of allowlist) {
      if (!looksLikeIpRange(entry)) {
        this.allowedHosts.add(entry.toLowerCase());
        continue;
      }
      const parsed = parseIpRange(entry);
      if (!parsed.ok) throw new Error(`outbound allowlist: ${parsed.problem}`);
      this.allowed.add(parsed.range);
    }
  }

  isHostAllowlisted(hostname: string): boolean {
    return this.allowedHosts.has(hostname.toLowerCase());
  }

  /** Why an address may not be reached, or undefined when it may. */
  check(rawAddress: string): string | undefined {
    const address = normalizeIp(rawAddress);
    if (!address) return `"${rawAddress}" is not an IP address`;
    if (this.allowed.has(address)) return undefined;
    if (this.blocked.has(address)) {
      return `${address.address} is a private, loopback or link-local address (add it to HOOKFLOW_OUTBOUND_ALLOW to allow it)`;
    }
    return undefined;
  }
}
