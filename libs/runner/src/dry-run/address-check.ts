import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { NetworkGuard } from '../network-guard';

const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * The outbound address rule (SSRF guard) applied without connecting: a dry run reports the
 * request the real run would have had refused. Lookups are cached for the life of the checker
 * (one dry run), so a thousand deliveries to one host resolve it once.
 */
export class AddressCheck {
  private readonly guard: NetworkGuard;
  private readonly hosts = new Map<string, Promise<string | undefined>>();

  constructor(allowlist: readonly string[]) {
    this.guard = new NetworkGuard(allowlist);
  }

  /** Why a call to this URL would be refused, or undefined when it would be made. */
  url(raw: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return Promise.resolve(`"${raw}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.resolve(`${url.protocol} URLs are not allowed`);
    }
    return this.host(url.hostname);
  }

  /** Why this host may not be reached, or undefined (also when it does not resolve from here). */
  host(rawHost: string): Promise<string | undefined> {
    const host = rawHost.replace(/^\[|\]$/g, '').toLowerCase();
    let verdict = this.hosts.get(host);
    if (!verdict) {
      verdict = this.check(host);
      this.hosts.set(host, verdict);
    }
    return verdict;
  }

  private async check(host: string): Promise<string | undefined> {
    if (this.guard.isHostAllowlisted(host)) return undefined;
    if (isIP(host)) return this.guard.check(host);
    let addresses: string[];
    try {
      const found = await Promise.race([
        lookup(host, { all: true }),
        new Promise<never>((_, reject) => {
          setTimeout(() => reject(new Error('timeout')), LOOKUP_TIMEOUT_MS).unref();
        }),
      ]);
      addresses = found.map((entry) => entry.address);
    } catch {
      // Not resolvable from here: the dry run cannot tell, and a real run would fail on DNS.
      return undefined;
    }
    if (addresses.some((address) => this.guard.check(address) === undefined)) return undefined;
    return `${host} resolves to ${this.guard.check(addresses[0] ?? '') ?? 'no address'}`;
  }
}
