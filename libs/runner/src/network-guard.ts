import { BlockList, isIP } from 'node:net';

/** Address ranges an outbound call may not reach unless allowlisted: SSRF protection. */
const PRIVATE_RANGES: Array<[string, number, 'ipv4' | 'ipv6']> = [
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

function ipFamily(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** Maps `::ffff:127.0.0.1` to `127.0.0.1`, so a v4 address cannot hide inside a v6 one. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1] : address;
}

export class NetworkGuard {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();
  private readonly allowedHosts = new Set<string>();

  /** @param allowlist hostnames, IPs or CIDRs (`127.0.0.1`, `10.0.0.0/8`, `localhost`) */
  constructor(allowlist: readonly string[]) {
    for (const [network, prefix, family] of PRIVATE_RANGES) {
      this.blocked.addSubnet(network, prefix, family);
    }
    for (const entry of allowlist) {
      const [address, prefix] = entry.split('/');
      const family = ipFamily(address);
      if (family && prefix !== undefined) {
        this.allowed.addSubnet(address, Number(prefix), family);
      } else if (family) {
        this.allowed.addAddress(address, family);
      } else {
        this.allowedHosts.add(entry.toLowerCase());
      }
    }
  }

  isHostAllowlisted(hostname: string): boolean {
    return this.allowedHosts.has(hostname.toLowerCase());
  }

  /** Why an address may not be reached, or undefined when it may. */
  check(rawAddress: string): string | undefined {
    const address = unmapped(rawAddress);
    const family = ipFamily(address);
    if (!family) return `"${rawAddress}" is not an IP address`;
    if (this.allowed.check(address, family)) return undefined;
    if (this.blocked.check(address, family)) {
      return `${address} is a private, loopback or link-local address (add it to HOOKFLOW_OUTBOUND_ALLOW to allow it)`;
    }
    return undefined;
  }
}
