import { parseMultipartBody, type MultipartLimits } from './multipart-body';

const limits: MultipartLimits = {
  maxDepth: 64,
  maxKeysPerObject: 10_000,
  maxFileBytes: 1024,
  maxParts: 10,
  maxAttachmentBytes: 0,
};
const BOUNDARY = '----hookflowBoundary7MA4YWxk';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** Builds a body the way browsers do: CRLF line breaks, a closing `--boundary--`. */
function multipart(parts: string[], boundary = BOUNDARY): Buffer {
  const body = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`;
  return Buffer.from(body);
}

const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

describe('parseMultipartBody', () => {
  it('returns fields as text and files as metadata; repeated names become arrays', () => {
    const raw = multipart([
      field('name', 'Ann'),
      field('tag', 'a'),
      field('tag', 'b'),
      'Content-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 bytes',
      field('multiline', 'line 1\r\nline 2'),
    ]);
    expect(parseMultipartBody(raw, TYPE, limits)).toEqual({
      ok: true,
      body: {
        name: 'Ann',
        tag: ['a', 'b'],
        cv: { filename: 'cv.pdf', contentType: 'application/pdf', size: 14 },
        multiline: 'line 1\r\nline 2',
      },
    });
  });

  it('reads RFC 5987 file names and quoted names with escapes', () => {
    const raw = multipart([
      `Content-Disposition: form-data; name="doc"; filename="fallback.txt"; filename*=UTF-8''na%C3%AFve.txt\r\n\r\nx`,
      'Content-Disposition: form-data; name="say \\"hi\\""\r\n\r\nhello',
    ]);
    expect(parseMultipartBody(raw, TYPE, limits)).toEqual({
      ok: true,
      body: {
        doc: { filename: 'naïve.txt', contentType: 'text/plain', size: 1 },
        'say "hi"': 'hello',
      },
    });
  });

  it('ignores a preamble before the first boundary', () => {
    const raw = Buffer.concat([Buffer.from('preamble\r\n'), multipart([field('a', '1')])]);
    expect(parseMultipartBody(raw, TYPE, limits)).toEqual({ ok: true, body: { a: '1' } });
  });

  it('refuses a file over maxFileBytes with 413', () => {
    const big = 'x'.repeat(1025);
    const raw = multipart([`Content-Disposition: form-data; name="f"; filename="a"\r\n\r\n${big}`]);
    expect(parseMultipartBody(raw, TYPE, limits)).toEqual({
      ok: false,
      status: 413,
      reason: 'file in field f is over 1024 bytes (limit maxFileBytes)',
    });
  });

  it('accepts maxParts parts and refuses one more', () => {
    const ten = multipart(Array.from({ length: 10 }, (_, index) => field(`f${index}`, 'x')));
    expect(parseMultipartBody(ten, TYPE, limits)).toMatchObject({ ok: true });
    const one = multipart([field('only', 'x')]);
    expect(parseMultipartBody(one, TYPE, { ...limits, maxParts: 1 })).toMatchObject({ ok: true });
    const two = multipart([field('a', 'x'), field('b', 'y')]);
    expect(parseMultipartBody(two, TYPE, { ...limits, maxParts: 1 })).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('refuses more parts than maxParts', () => {
    const raw = multipart(Array.from({ length: 11 }, (_, index) => field(`f${index}`, 'x')));
    expect(parseMultipartBody(raw, TYPE, limits)).toMatchObject({
      ok: false,
      status: 400,
      reason: 'multipart body has more than 10 parts (limit maxParts)',
    });
  });

  it('drops a __proto__ field, polluting nothing', () => {
    const raw = multipart([field('__proto__', 'x'), field('constructor', 'y')]);
    const result = parseMultipartBody(raw, TYPE, limits);
    expect(result).toEqual({ ok: true, body: { constructor: 'y' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [
      'a missing boundary parameter',
      multipart([field('a', '1')]),
      'multipart/form-data',
      'Boundary not found',
    ],
    [
      'a truncated body',
      Buffer.from(`--${BOUNDARY}\r\n${field('a', '1')}`),
      TYPE,
      'Unexpected end of form',
    ],
    [
      'another boundary',
      multipart([field('a', '1')]),
      'multipart/form-data; boundary=other',
      'Unexpected end of form',
    ],
  ])('refuses %s with 400', (_case, raw, contentType, expected) => {
    const result = parseMultipartBody(raw, contentType, limits);
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (!result.ok) expect(result.reason).toContain(expected);
  });

  it('keeps the bytes of files up to maxAttachmentBytes, exactly, CR LF and all', () => {
    const bytes = 'a\r\nb\r\n--not-the-boundary\r\n\u00ff';
    const raw = multipart([
      `Content-Disposition: form-data; name="f"; filename="b.bin"\r\n\r\n${bytes}`,
      `Content-Disposition: form-data; name="g"; filename="c.bin"\r\n\r\n${bytes}${bytes}`,
    ]);
    const size = Buffer.byteLength(bytes);
    const result = parseMultipartBody(raw, TYPE, { ...limits, maxAttachmentBytes: size });
    expect(result).toEqual({
      ok: true,
      body: {
        f: {
          filename: 'b.bin',
          // RFC 7578: a part without Content-Type is text/plain.
          contentType: 'text/plain',
          size,
          content: Buffer.from(bytes).toString('base64'),
        },
        g: { filename: 'c.bin', contentType: 'text/plain', size: size * 2 },
      },
    });
  });
});
