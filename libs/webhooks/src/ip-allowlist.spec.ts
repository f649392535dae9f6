import {
  checkClientIp,
  clientAddressOf,
  compileIpRules,
  resolveClientIp,
  type IpRules,
  type IpRulesConfig,
} from './ip-allowlist';
import { normalizeIp } from './ip-ranges';

function compiled(config: IpRulesConfig): IpRules {
  const result = compileIpRules(config);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.rules;
}

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9', 'ipv4'],
    ['::ffff:203.0.113.9', '203.0.113.9', 'ipv4'],
    ['::FFFF:10.0.0.1', '10.0.0.1', 'ipv4'],
    ['2001:DB8::1', '2001:db8::1', 'ipv6'],
    ['fe80::1%eth0', 'fe80::1', 'ipv6'],
  ])('reads %s as %s', (text, address, family) => {
    expect(normalizeIp(text)).toEqual({ address, family });
  });

  it('refuses what is not an address', () => {
    expect(normalizeIp('example.com')).toBeUndefined();
    expect(normalizeIp('999.1.1.1')).toBeUndefined();
  });
});

describe('compileIpRules', () => {
  it('lists every bad entry at once', () => {
    expect(
      compileIpRules({
        allow: ['10.0.0.0/33', 'nope', '10.0.0.0/8/1'],
        trustedProxies: ['::/129'],
      }),
    ).toEqual({
      ok: false,
      problems: [
        '"10.0.0.0/33" has a prefix length outside 0-32',
        '"nope" is not an IP address or CIDR range',
        '"10.0.0.0/8/1" is not an IP address or CIDR range',
        '"::/129" has a prefix length outside 0-128',
      ],
    });
  });

  it('refuses an empty allowlist rather than reading it as "allow all" or "deny all"', () => {
    expect(compileIpRules({ allow: [] })).toEqual({
      ok: false,
      problems: ['the allowlist is empty: add a range or remove the rule'],
    });
  });
});

describe('checkClientIp', () => {
  const rules = compiled({ allow: ['192.0.2.0/24', '2001:db8::/32', '198.51.100.7'] });

  it.each([
    ['192.0.2.200', '192.0.2.200'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1::5', '2001:db8:1::5'],
    ['198.51.100.7', '198.51.100.7'],
  ])('allows %s', (peerAddress, clientIp) => {
    expect(checkClientIp(rules, { peerAddress })).toEqual({ ok: true, clientIp });
  });

  it.each(['192.0.3.1', '198.51.100.8', '2001:db9::1', '::ffff:203.0.113.1'])(
    'refuses %s',
    (peerAddress) => {
      const result = checkClientIp(rules, { peerAddress });
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.reason).toMatch(/^address .* is not in the allowlist of this trigger$/);
    },
  );

  it('matches IPv4 rules written as IPv4-mapped IPv6', () => {
    const mapped = compiled({ allow: ['::ffff:10.0.0.0/104'] });
    expect(checkClientIp(mapped, { peerAddress: '10.20.30.40' }).ok).toBe(true);
    expect(checkClientIp(mapped, { peerAddress: '11.0.0.1' }).ok).toBe(false);
  });

  it('ignores X-Forwarded-For from an untrusted peer (it could say anything)', () => {
    const input = { peerAddress: '203.0.113.5', forwardedFor: '192.0.2.10' };
    expect(checkClientIp(rules, input)).toEqual({
      ok: false,
      reason: 'address 203.0.113.5 is not in the allowlist of this trigger',
    });
  });

  it('allows anyone when there is no allowlist, still resolving the client', () => {
    const open = compiled({ trustedProxies: ['10.0.0.0/8'] });
    expect(checkClientIp(open, { peerAddress: '10.0.0.2', forwardedFor: '203.0.113.5' })).toEqual({
      ok: true,
      clientIp: '203.0.113.5',
    });
  });
});

describe('resolveClientIp', () => {
  const rules = compiled({ allow: ['192.0.2.0/24'], trustedProxies: ['10.0.0.0/8', 'fd00::/8'] });

  it('takes the right-most untrusted hop behind a trusted proxy', () => {
    // The client forged "192.0.2.66"; the proxy appended the real address 203.0.113.5.
    const input = { peerAddress: '10.0.0.2', forwardedFor: '192.0.2.66, 203.0.113.5, 10.1.1.1' };
    expect(resolveClientIp(rules, input)).toEqual({ ok: true, clientIp: '203.0.113.5' });
    expect(checkClientIp(rules, input).ok).toBe(false);
  });

  it('lets a genuine client through a chain of trusted proxies', () => {
    const input = { peerAddress: '::ffff:10.0.0.2', forwardedFor: '192.0.2.9, 10.2.3.4' };
    expect(checkClientIp(rules, input)).toEqual({ ok: true, clientIp: '192.0.2.9' });
  });

  it('reads hops with ports and brackets', () => {
    const input = { peerAddress: 'fd00::1', forwardedFor: '[2001:db8::9]:443, 192.0.2.4:5678' };
    expect(resolveClientIp(rules, input)).toEqual({ ok: true, clientIp: '192.0.2.4' });
  });

  it('takes the left-most hop when every hop is trusted', () => {
    const input = { peerAddress: '10.0.0.2', forwardedFor: '10.9.9.9, 10.0.0.1' };
    expect(resolveClientIp(rules, input)).toEqual({ ok: true, clientIp: '10.9.9.9' });
  });

  it('uses the proxy itself when it sends no X-Forwarded-For', () => {
    expect(resolveClientIp(rules, { peerAddress: '10.0.0.2' })).toEqual({
      ok: true,
      clientIp: '10.0.0.2',
    });
  });

  it('refuses a garbage hop it would otherwise have to believe', () => {
    const input = { peerAddress: '10.0.0.2', forwardedFor: '192.0.2.1, unknown' };
    expect(resolveClientIp(rules, input)).toEqual({
      ok: false,
      reason: 'X-Forwarded-For entry "unknown" is not an IP address',
    });
  });

  it('does not look at garbage left of the client', () => {
    const input = { peerAddress: '10.0.0.2', forwardedFor: 'garbage, 192.0.2.1' };
    expect(resolveClientIp(rules, input)).toEqual({ ok: true, clientIp: '192.0.2.1' });
  });
});

describe('clientAddressOf', () => {
  const rules = (trustedProxies: string[]) => {
    const compiled = compileIpRules({ trustedProxies });
    if (!compiled.ok) throw new Error(compiled.problems.join('; '));
    return compiled.rules;
  };

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(
      clientAddressOf(rules([]), { peerAddress: '127.0.0.2', forwardedFor: '203.0.113.9' }),
    ).toBe('127.0.0.2');
  });

  it('is the sender behind a trusted proxy, and the peer when the header cannot be read', () => {
    const behind = rules(['10.0.0.0/8']);
    expect(clientAddressOf(behind, { peerAddress: '10.1.2.3', forwardedFor: '203.0.113.9' })).toBe(
      '203.0.113.9',
    );
    expect(clientAddressOf(behind, { peerAddress: '10.1.2.3', forwardedFor: 'not-an-ip' })).toBe(
      '10.1.2.3',
    );
  });
});
