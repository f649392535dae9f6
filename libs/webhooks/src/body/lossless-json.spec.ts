import { parseJsonLossless } from './lossless-json';

const limits = { maxDepth: 64, maxKeysPerObject: 10_000 };

function parsed(text: string) {
  const result = parseJsonLossless(text, limits);
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.body;
}

function reason(text: string, custom = limits): string {
  const result = parseJsonLossless(text, custom);
  if (result.ok) throw new Error('expected a failure');
  return result.reason;
}

describe('parseJsonLossless', () => {
  it.each([
    '{}',
    '[]',
    '0',
    '-0.5e-3',
    '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"',
    ' { "a" : [ 1 , 2.5 , true , false , null , { } , [ ] ] , "b" : "x" } ',
    '{"a":1,"a":2}',
    '[9007199254740991,-9007199254740991,1e21,1.5E+2]',
    '"\u2028 raw unicode é 😀"',
  ])('agrees with JSON.parse on %s', (text) => {
    expect(parsed(text)).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 as their exact digits', () => {
    expect(parsed('{"id":12345678901234567890,"neg":-9007199254740993}')).toEqual({
      id: '12345678901234567890',
      neg: '-9007199254740993',
    });
  });

  it('keeps the largest safe integer a number and the next one a string', () => {
    expect(parsed('[9007199254740991,9007199254740992]')).toEqual([
      9007199254740991,
      '9007199254740992',
    ]);
  });

  it('keeps fractions as numbers (rounded like JSON.parse) and overflowing literals as text', () => {
    expect(parsed('[0.12345678901234567890123,1e400,-1e400]')).toEqual([
      0.12345678901234568,
      '1e400',
      '-1e400',
    ]);
  });

  it('drops __proto__ keys and keeps constructor and prototype as plain data', () => {
    const body = parsed('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body as object)).toEqual(['constructor']);
    expect(body).toEqual({ constructor: { prototype: { x: 1 } } });
  });

  it.each([
    ['', 'body is empty'],
    ['{', 'body is not valid JSON: body ends early: expected a key in double quotes'],
    ['{"a":1,}', 'unexpected "}" at line 1, column 8: expected a key in double quotes'],
    ['[1 2]', 'unexpected "2" at line 1, column 4'],
    ['{"a":01}', 'unexpected "1" at line 1, column 7'],
    ['{\n  "a": tru\n}', 'unexpected "t" at line 2, column 8: expected a value'],
    ['"abc', 'string starting at line 1, column 1 is not closed'],
    ['"a\tb"', 'control character U+0009 in a string at line 1, column 3'],
    ['"\\x"', 'invalid escape in a string at line 1, column 2'],
    ['"\\u12G4"', 'invalid \\u escape at line 1, column 2'],
    ['{} {}', 'unexpected "{" at line 1, column 4: expected the end of the body'],
    ['NaN', 'unexpected "N" at line 1, column 1: expected a value'],
  ])('refuses %j with a reason that says where', (text, expected) => {
    expect(reason(text)).toContain(expected);
  });

  it('refuses nesting past maxDepth, naming the limit', () => {
    const small = { maxDepth: 3, maxKeysPerObject: 10 };
    expect(parseJsonLossless('[[[1]]]', small).ok).toBe(true);
    expect(reason('[[[[1]]]]', small)).toBe('body nests deeper than 3 levels (limit maxDepth)');
    expect(reason('{"a":{"b":{"c":{}}}}', small)).toContain('limit maxDepth');
  });

  it('refuses an object with more keys than maxKeysPerObject, counting repeats once', () => {
    const small = { maxDepth: 5, maxKeysPerObject: 2 };
    expect(parseJsonLossless('{"a":1,"b":2,"a":3}', small).ok).toBe(true);
    expect(reason('{"a":1,"b":2,"c":3}', small)).toBe(
      'an object in the body has more than 2 keys (limit maxKeysPerObject)',
    );
  });

  it('survives nesting far deeper than the call stack by stopping at the limit', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(reason(deep)).toContain('limit maxDepth');
  });
});
