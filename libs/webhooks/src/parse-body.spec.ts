import { DEFAULT_PARSE_BODY_OPTIONS, mediaTypeOf, parseBody } from './parse-body';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseBody', () => {
  it.each([
    ['application/json', '{"a":1}', { a: 1 }, 'json'],
    ['application/json; charset=utf-8', '{"a":1}', { a: 1 }, 'json'],
    ['application/vnd.api+json', '{"data":[]}', { data: [] }, 'json'],
    ['Application/JSON', '[true]', [true], 'json'],
    ['application/xml', '<a>1</a>', { a: '1' }, 'xml'],
    ['text/xml; charset=utf-8', '<a>1</a>', { a: '1' }, 'xml'],
    ['application/atom+xml', '<feed/>', { feed: '' }, 'xml'],
    ['application/x-www-form-urlencoded', 'a=1&a=2', { a: ['1', '2'] }, 'form'],
    ['text/plain', 'hello\nworld', 'hello\nworld', 'text'],
    ['text/csv', 'a,b\n1,2', 'a,b\n1,2', 'text'],
  ])('parses %s', (contentType, text, body, format) => {
    expect(parseBody(contentType, utf8(text))).toEqual({ ok: true, body, format });
  });

  it('parses multipart/form-data with its boundary', () => {
    const raw = utf8('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n');
    expect(parseBody('multipart/form-data; boundary=xyz', raw)).toEqual({
      ok: true,
      body: { a: '1' },
      format: 'multipart',
    });
  });

  it('keeps a Shopify id beyond 2^53 exact', () => {
    const raw = utf8('{"id":12345678901234567890,"line_items":[{"id":9007199254740993}]}');
    expect(parseBody('application/json', raw)).toEqual({
      ok: true,
      body: { id: '12345678901234567890', line_items: [{ id: '9007199254740993' }] },
      format: 'json',
    });
  });

  it('pollutes nothing with __proto__, constructor or prototype keys in any format', () => {
    const bodies: Array<[string, string]> = [
      [
        'application/json',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      ],
      ['application/xml', '<r><__proto__><polluted>1</polluted></__proto__></r>'],
      [
        'application/x-www-form-urlencoded',
        '__proto__[polluted]=1&constructor[prototype][polluted]=1',
      ],
    ];
    for (const [contentType, text] of bodies) {
      expect(parseBody(contentType, utf8(text)).ok).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('decodes a declared charset and drops a UTF-8 byte order mark', () => {
    expect(
      parseBody('text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    ).toEqual({
      ok: true,
      body: 'café',
      format: 'text',
    });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":1}')]);
    expect(parseBody('application/json', withBom)).toMatchObject({ ok: true, body: { a: 1 } });
  });

  it.each([
    [undefined, 'missing Content-Type'],
    ['', 'missing Content-Type'],
    ['application/octet-stream', 'Content-Type application/octet-stream is not accepted'],
    ['image/png', 'Content-Type image/png is not accepted'],
    ['text/plain; charset=klingon', 'charset klingon is not supported'],
  ])('refuses Content-Type %j with 415 and a reason', (contentType, expected) => {
    const result = parseBody(contentType, utf8('x'));
    expect(result).toMatchObject({ ok: false, status: 415 });
    if (!result.ok) expect(result.reason).toContain(expected);
  });

  it('refuses malformed bodies with 400', () => {
    expect(parseBody('application/json', utf8(''))).toEqual({
      ok: false,
      status: 400,
      reason: 'body is empty',
    });
    expect(parseBody('application/json', utf8('{"a":'))).toMatchObject({ ok: false, status: 400 });
    expect(parseBody('application/xml', utf8('<a>'))).toMatchObject({ ok: false, status: 400 });
  });

  it('applies the depth and key limits from its options, naming them', () => {
    const deep = utf8('{"a":{"b":{"c":1}}}');
    expect(parseBody('application/json', deep).ok).toBe(true);
    expect(parseBody('application/json', deep, { maxDepth: 2 })).toEqual({
      ok: false,
      status: 400,
      reason: 'body nests deeper than 2 levels (limit maxDepth)',
    });
    expect(
      parseBody('application/x-www-form-urlencoded', utf8('a=1&b=2'), { maxKeysPerObject: 1 }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('limit maxKeysPerObject'),
    });
  });

  it('refuses a body over maxBodyBytes with 413', () => {
    expect(parseBody('text/plain', utf8('12345'), { maxBodyBytes: 4 })).toEqual({
      ok: false,
      status: 413,
      reason: 'body is larger than 4 bytes',
    });
  });

  it('passes xmlArrayElements to the XML mapping', () => {
    expect(
      parseBody('application/xml', utf8('<o><i>1</i></o>'), { xmlArrayElements: ['i'] }),
    ).toEqual({
      ok: true,
      body: { o: { i: ['1'] } },
      format: 'xml',
    });
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_PARSE_BODY_OPTIONS).toMatchObject({ maxDepth: 64, maxKeysPerObject: 10_000 });
  });
});

describe('mediaTypeOf', () => {
  it('lower-cases and strips parameters', () => {
    expect(mediaTypeOf('Application/JSON; charset=UTF-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(mediaTypeOf(' ; x=1')).toBeUndefined();
  });
});

describe('parseBody with keepSource', () => {
  const keep = { keepSource: true };

  it('answers the bytes as sent (no copy) for UTF-8 JSON that JSON.parse reads back exactly', () => {
    const text = '{ "a": [1, 2.5, "é"], "b": {"c": null} }';
    const raw = utf8(text);
    const parsed = parseBody('application/json; charset=utf-8', raw, keep);
    expect(parsed).toEqual({
      ok: true,
      body: { a: [1, 2.5, 'é'], b: { c: null } },
      format: 'json',
      source: raw,
    });
    if (!parsed.ok || parsed.source === undefined) throw new Error('no source');
    expect(parsed.source).toBe(raw);
    expect(JSON.parse(parsed.source.toString('utf8'))).toEqual(parsed.body);
  });

  it.each([
    ['an integer beyond 2^53', 'application/json', utf8('{"id":12345678901234567890}')],
    ['a __proto__ key', 'application/json', utf8('{"__proto__":{"x":1},"a":1}')],
    [
      'a byte order mark',
      'application/json',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":1}')]),
    ],
    [
      'another charset',
      'application/json; charset=iso-8859-1',
      Buffer.from('{"a":"\xe9"}', 'latin1'),
    ],
  ])('answers no source for a body with %s (its text is not its JSON)', (_what, type, raw) => {
    const parsed = parseBody(type, raw, keep);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.source).toBeUndefined();
  });

  it('answers no source unless asked, and none for other formats', () => {
    expect(parseBody('application/json', utf8('{"a":1}'))).toEqual({
      ok: true,
      body: { a: 1 },
      format: 'json',
    });
    expect(parseBody('text/plain', utf8('hello'), keep)).toEqual({
      ok: true,
      body: 'hello',
      format: 'text',
    });
  });
});
