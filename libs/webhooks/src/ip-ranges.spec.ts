import { IpRangeSet, compileIpRanges, looksLikeIpRange, parseIpRange } from './ip-ranges';

describe('parseIpRange', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', family: 'ipv4', prefix: 8 }],
    ['::ffff:10.0.0.0/104', { address: '10.0.0.0', family: 'ipv4', prefix: 8 }],
    ['2001:DB8::/32', { address: '2001:db8::', family: 'ipv6', prefix: 32 }],
    [' 192.0.2.7 ', { address: '192.0.2.7', family: 'ipv4' }],
  ])('reads %j', (entry, range) => {
    expect(parseIpRange(entry)).toEqual({ ok: true, range });
  });

  it.each([
    ['10.0.0.0/40', '"10.0.0.0/40" has a prefix length outside 0-32'],
    ['::/129', '"::/129" has a prefix length outside 0-128'],
    ['10.0.0.0/abc', '"10.0.0.0/abc" has a prefix length outside 0-32'],
    ['10.0.0.0/8/1', '"10.0.0.0/8/1" is not an IP address or CIDR range'],
    ['proxy.internal', '"proxy.internal" is not an IP address or CIDR range'],
  ])('refuses %j, saying why', (entry, problem) => {
    expect(parseIpRange(entry)).toEqual({ ok: false, problem });
  });
});

describe('looksLikeIpRange', () => {
  it('tells an address or range from a hostname', () => {
    expect(looksLikeIpRange('10.0.0.0/40')).toBe(true);
    expect(looksLikeIpRange('fd00::/8')).toBe(true);
    expect(looksLikeIpRange('localhost')).toBe(false);
  });
});

describe('IpRangeSet', () => {
  const problems: string[] = [];
  const set: IpRangeSet = compileIpRanges(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'], problems);

  it('matches addresses in its ranges in any textual form, and no others', () => {
    expect(problems).toEqual([]);
    expect(set.has('10.200.0.1')).toBe(true);
    expect(set.has('::ffff:10.1.1.1')).toBe(true);
    expect(set.has('2001:db8:5::1')).toBe(true);
    expect(set.has('192.0.2.7')).toBe(true);
    expect(set.has('192.0.2.8')).toBe(false);
    expect(set.has('11.0.0.1')).toBe(false);
    expect(set.has('not an address')).toBe(false);
  });

  it('lists every bad entry rather than stopping at the first', () => {
    const found: string[] = [];
    compileIpRanges(['10.0.0.0/33', 'nope', '10.0.0.0/8'], found);
    expect(found).toHaveLength(2);
  });
});
