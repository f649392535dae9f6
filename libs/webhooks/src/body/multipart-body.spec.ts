import { parseMultipartBody, splitMultipart, type MultipartLimits } from './multipart-body';

const limits: MultipartLimits = {
  maxDepth: 64,
  maxKeysPerObject: 10_000,
  maxFileBytes: 1024,
  maxParts: 10,
};
const BOUNDARY = '----hookflowBoundary7MA4YWxk';

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
    expect(parseMultipartBody(raw, BOUNDARY, limits)).toEqual({
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
    expect(parseMultipartBody(raw, BOUNDARY, limits)).toEqual({
      ok: true,
      body: {
        doc: { filename: 'naïve.txt', contentType: 'application/octet-stream', size: 1 },
        'say "hi"': 'hello',
      },
    });
  });

  it('ignores a preamble before the first boundary', () => {
    const raw = Buffer.concat([Buffer.from('preamble\r\n'), multipart([field('a', '1')])]);
    expect(parseMultipartBody(raw, BOUNDARY, limits)).toEqual({ ok: true, body: { a: '1' } });
  });

  it('refuses a file over maxFileBytes with 413', () => {
    const big = 'x'.repeat(1025);
    const raw = multipart([`Content-Disposition: form-data; name="f"; filename="a"\r\n\r\n${big}`]);
    expect(parseMultipartBody(raw, BOUNDARY, limits)).toEqual({
      ok: false,
      status: 413,
      reason: 'file in field f is 1025 bytes, over 1024 (limit maxFileBytes)',
    });
  });

  it('refuses more parts than maxParts', () => {
    const raw = multipart(Array.from({ length: 11 }, (_, index) => field(`f${index}`, 'x')));
    expect(parseMultipartBody(raw, BOUNDARY, limits)).toMatchObject({
      ok: false,
      status: 400,
      reason: 'multipart body has more than 10 parts (limit maxParts)',
    });
  });

  it('drops a __proto__ field, polluting nothing', () => {
    const raw = multipart([field('__proto__', 'x'), field('constructor', 'y')]);
    const result = parseMultipartBody(raw, BOUNDARY, limits);
    expect(result).toEqual({ ok: true, body: { constructor: 'y' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [
      'a missing boundary parameter',
      multipart([field('a', '1')]),
      undefined,
      'no boundary parameter',
    ],
    [
      'a truncated body',
      Buffer.from(`--${BOUNDARY}\r\n${field('a', '1')}`),
      BOUNDARY,
      'closing boundary is missing',
    ],
    ['another boundary', multipart([field('a', '1')]), 'other', 'no boundary line --other'],
    [
      'a part without a name',
      multipart(['Content-Type: text/plain\r\n\r\nx']),
      BOUNDARY,
      'part 1 has no Content-Disposition',
    ],
  ])('refuses %s with 400', (_case, raw, boundary, expected) => {
    const result = parseMultipartBody(raw, boundary, limits);
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (!result.ok) expect(result.reason).toContain(expected);
  });
});

describe('splitMultipart', () => {
  it('keeps file bytes exactly, including CR LF inside them', () => {
    const bytes = 'a\r\nb\r\n--not-the-boundary\r\n';
    const raw = multipart([
      `Content-Disposition: form-data; name="f"; filename="b.bin"\r\n\r\n${bytes}`,
    ]);
    const result = splitMultipart(raw, BOUNDARY, 10);
    expect(result.ok && result.parts[0].data.toString()).toBe(bytes);
  });
});
