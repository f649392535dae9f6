import { parseFormBody, parseFormPairs } from './form-body';

const limits = { maxDepth: 64, maxKeysPerObject: 10_000 };

describe('parseFormBody', () => {
  it('decodes + and percent escapes and turns repeated names into arrays in order', () => {
    const text = 'name=Ann+Lee&tag=a&email=ann%40example.com&tag=b&tag=c&empty=&note=caf%C3%A9';
    expect(parseFormBody(text, limits)).toEqual({
      ok: true,
      body: {
        name: 'Ann Lee',
        tag: ['a', 'b', 'c'],
        email: 'ann@example.com',
        empty: '',
        note: 'café',
      },
    });
  });

  it('keeps bracketed names literally instead of nesting them', () => {
    expect(parseFormBody('items[0][sku]=A1&a.b=1', limits)).toEqual({
      ok: true,
      body: { 'items[0][sku]': 'A1', 'a.b': '1' },
    });
  });

  it('keeps big numbers as the text they are', () => {
    expect(parseFormBody('id=12345678901234567890', limits)).toEqual({
      ok: true,
      body: { id: '12345678901234567890' },
    });
  });

  it('drops __proto__ and keeps constructor/prototype as plain data, polluting nothing', () => {
    const text =
      '__proto__=x&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&prototype=1';
    const result = parseFormBody(text, limits);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result).toEqual({
      ok: true,
      body: {
        '__proto__[polluted]': 'yes',
        'constructor[prototype][polluted]': 'yes',
        prototype: '1',
      },
    });
    if (result.ok) expect(Object.getPrototypeOf(result.body)).toBe(Object.prototype);
  });

  it('gives an empty object for an empty body', () => {
    expect(parseFormBody('', limits)).toEqual({ ok: true, body: {} });
  });

  it('refuses more distinct names than maxKeysPerObject, naming the limit', () => {
    const small = { maxDepth: 64, maxKeysPerObject: 2 };
    expect(parseFormBody('a=1&b=2&a=3', small).ok).toBe(true);
    expect(parseFormBody('a=1&b=2&c=3', small)).toEqual({
      ok: false,
      status: 400,
      reason: 'the form has more than 2 keys (limit maxKeysPerObject)',
    });
  });
});

describe('parseFormPairs', () => {
  it('keeps every pair, including __proto__, in order (signatures need them all)', () => {
    expect(parseFormPairs('b=2&__proto__=x&a=1&b=3')).toEqual([
      ['b', '2'],
      ['__proto__', 'x'],
      ['a', '1'],
      ['b', '3'],
    ]);
  });
});
