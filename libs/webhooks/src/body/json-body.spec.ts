import { parseJsonBody } from './json-body';
import { parseJsonLossless } from './lossless-json';

const limits = { maxDepth: 64, maxKeysPerObject: 10_000 };

describe('parseJsonBody (JSON.parse fast path, lossless fallback)', () => {
  it('gives the same result on both paths', () => {
    const text = '{"a":[1,2,{"b":"c"}],"d":null,"e":-1.5}';
    expect(parseJsonBody(text, limits)).toEqual(parseJsonLossless(text, limits));
  });

  it('keeps big integers exact (falls back to the lossless parser)', () => {
    expect(parseJsonBody('{"id":12345678901234567890}', limits)).toEqual({
      ok: true,
      body: { id: '12345678901234567890' },
    });
  });

  it('keeps an overflowing literal that has no long digit run', () => {
    expect(parseJsonBody('[1e999]', limits)).toEqual({ ok: true, body: ['1e999'] });
  });

  it('drops __proto__ on the fast path too, polluting nothing', () => {
    const result = parseJsonBody('{"__proto__":{"polluted":true},"a":{"__proto__":1}}', limits);
    expect(result).toEqual({ ok: true, body: { a: {} } });
    if (!result.ok) return;
    expect(Object.prototype.hasOwnProperty.call(result.body, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('enforces the limits on the fast path', () => {
    const small = { maxDepth: 2, maxKeysPerObject: 1 };
    expect(parseJsonBody('[[[]]]', small)).toMatchObject({ ok: false, status: 400 });
    expect(parseJsonBody('{"a":1,"b":2}', small)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('limit maxKeysPerObject'),
    });
  });

  it('words syntax errors like the lossless parser does', () => {
    expect(parseJsonBody('{"a":}', limits)).toEqual({
      ok: false,
      status: 400,
      reason: 'body is not valid JSON: unexpected "}" at line 1, column 6: expected a value',
    });
  });
});
