import { NetworkGuard } from './network-guard';

/** Addresses are only checked as strings here: nothing in this file opens a connection. */
describe('NetworkGuard.check', () => {
  const guard = new NetworkGuard([]);

  it.each([
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.255', 'private 10/8, last address'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.254', 'private 172.16/12, upper end'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local, the cloud metadata endpoint'],
    ['100.64.0.1', 'carrier-grade NAT 100.64/10'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback, anywhere in 127/8'],
    ['0.0.0.0', 'the unspecified address (reaches this host)'],
    ['224.0.0.1', 'multicast'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['fc00::1', 'IPv6 unique local fc00::/7'],
    ['fd12:3456::1', 'IPv6 unique local, fd half'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted form'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form (how URL serialises it)'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254'],
  ])('blocks %s (%s)', (address) => {
    expect(guard.check(address)).toMatch(/private, loopback or link-local/);
  });

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['100.128.0.1', 'just above 100.64/10'],
    ['2606:4700::1111', 'public IPv6'],
    ['::ffff:5db8:d822', 'IPv4-mapped public address'],
  ])('allows %s (%s)', (address) => {
    expect(guard.check(address)).toBeUndefined();
  });

  it.each(['localhost', 'example.com', '', '999.1.1.1'])(
    'refuses %j because it is not an IP address',
    (value) => {
      expect(guard.check(value)).toMatch(/is not an IP address/);
    },
  );

  it('names the allowlist variable in the reason, so an operator knows the way out', () => {
    expect(guard.check('10.1.2.3')).toContain('HOOKFLOW_OUTBOUND_ALLOW');
  });

  describe('with an allowlist', () => {
    const allowing = new NetworkGuard(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'Internal.Example']);

    it('lets an allowlisted single address through, and only that one', () => {
      expect(allowing.check('127.0.0.1')).toBeUndefined();
      expect(allowing.check('127.0.0.2')).toBeDefined();
    });

    it('lets an allowlisted address through in its IPv4-mapped form', () => {
      expect(allowing.check('::ffff:127.0.0.1')).toBeUndefined();
    });

    it('lets a whole allowlisted IPv4 CIDR through, but not its neighbours', () => {
      expect(allowing.check('10.20.30.40')).toBeUndefined();
      expect(allowing.check('192.168.0.1')).toBeDefined();
    });

    it('lets an allowlisted IPv6 CIDR through, but not the rest of fc00::/7', () => {
      expect(allowing.check('fd00::1')).toBeUndefined();
      expect(allowing.check('fc00::1')).toBeDefined();
    });

    it('keeps hostnames apart from addresses, matched without regard to case', () => {
      expect(allowing.isHostAllowlisted('internal.example')).toBe(true);
      expect(allowing.isHostAllowlisted('INTERNAL.EXAMPLE')).toBe(true);
      expect(allowing.isHostAllowlisted('other.example')).toBe(false);
      expect(allowing.isHostAllowlisted('127.0.0.1')).toBe(false);
    });
  });
});
