import { OutboundError } from '@hookflow/engine';
import { AddressCheck } from './address-check';
import { DEFAULT_STAND_IN, HeldOutbound } from './held-outbound';

const request = (url: string, headers: Record<string, string> = {}, body?: string) => ({
  method: 'POST',
  url,
  headers,
  body,
  timeoutMs: 1000,
});

describe('HeldOutbound', () => {
  it('records a request instead of sending it and answers with the stand-in', async () => {
    const held = new HeldOutbound(new AddressCheck(['127.0.0.1']), DEFAULT_STAND_IN);
    // Port 9 on loopback: nothing listens, so a real send would fail.
    const answer = await held.request(
      request('http://127.0.0.1:9/orders', { 'x-trace': 'a' }, '{"id":1}'),
    );
    held.assign('call');
    expect(answer).toEqual(DEFAULT_STAND_IN);
    expect(held.sideEffects()).toEqual([
      {
        nodeId: 'call',
        occurrence: 0,
        kind: 'http',
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:9/orders',
          headers: { 'x-trace': 'a' },
          body: { id: 1 },
        },
      },
    ]);
  });

  it('redacts secret headers and every credential value a request quotes', async () => {
    const held = new HeldOutbound(new AddressCheck(['127.0.0.1']), DEFAULT_STAND_IN);
    const credentials = held.credentials({
      resolve: () =>
        Promise.resolve({ type: 'http-header', data: { name: 'x-key', value: 's3cr3t-value' } }),
    });
    await credentials.resolve('api');
    await held.request(
      request(
        'http://127.0.0.1:9/?k=s3cr3t-value',
        { authorization: 'Bearer abc', 'x-key': 's3cr3t-value' },
        '{"echo":"s3cr3t-value"}',
      ),
    );
    held.assign('call');
    const [effect] = held.sideEffects();
    expect(JSON.stringify(effect)).not.toContain('s3cr3t-value');
    expect(effect.request).toMatchObject({
      url: 'http://127.0.0.1:9/?k=[redacted]',
      headers: { authorization: '[redacted]', 'x-key': '[redacted]' },
      body: { echo: '[redacted]' },
    });
  });

  it('reports what the address rule would refuse, and fails the call as a real run would', async () => {
    const held = new HeldOutbound(new AddressCheck([]), DEFAULT_STAND_IN);
    await expect(held.request(request('http://10.1.2.3/admin'))).rejects.toBeInstanceOf(
      OutboundError,
    );
    held.assign('call');
    expect(held.sideEffects()[0].blocked).toMatch(/10\.1\.2\.3 is a private/);
  });

  it('counts the requests of each node, and records mail with its server', async () => {
    const held = new HeldOutbound(new AddressCheck(['127.0.0.1']), DEFAULT_STAND_IN);
    await held.request(request('http://127.0.0.1:9/a'));
    await held.request(request('http://127.0.0.1:9/b'));
    held.assign('call');
    const receipt = await held.send(
      { from: 'a@x.test', to: 'b@x.test, c@x.test', subject: 'Hi', text: 'Hello' },
      { host: '127.0.0.1', port: 2525, secure: false, password: 'mail-password' },
    );
    held.assign('mail');
    expect(receipt.accepted).toEqual(['b@x.test', 'c@x.test']);
    expect(held.sideEffects().map((effect) => [effect.nodeId, effect.occurrence])).toEqual([
      ['call', 0],
      ['call', 1],
      ['mail', 0],
    ]);
    expect(held.sideEffects()[2].request).toEqual({
      server: '127.0.0.1:2525',
      from: 'a@x.test',
      to: 'b@x.test, c@x.test',
      subject: 'Hi',
      text: 'Hello',
    });
  });

  it('never hands a token request an answer with a lifetime, so no made-up token is cached', async () => {
    const held = new HeldOutbound(new AddressCheck(['127.0.0.1']), {
      ...DEFAULT_STAND_IN,
      body: '{"access_token":"made-up","expires_in":3600}',
    });
    const token = await held.request(
      request(
        'http://127.0.0.1:9/token',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'grant_type=client_credentials&client_id=a',
      ),
    );
    expect(JSON.parse(token.body)).toEqual({ access_token: 'made-up' });
    const other = await held.request(request('http://127.0.0.1:9/orders', {}, '{}'));
    expect(JSON.parse(other.body)).toEqual({ access_token: 'made-up', expires_in: 3600 });
  });
});
