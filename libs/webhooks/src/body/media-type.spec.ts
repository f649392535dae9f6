import { decodeText, parseHeaderWithParams } from './media-type';

describe('parseHeaderWithParams', () => {
  it('splits the value from its parameters, unquoting and keeping case of values', () => {
    const header = parseHeaderWithParams('Multipart/Form-Data; Boundary="a;B=c"; charset=UTF-8');
    expect(header.value).toBe('multipart/form-data');
    expect(Object.fromEntries(header.params)).toEqual({ boundary: 'a;B=c', charset: 'UTF-8' });
  });

  it('reads escaped quotes and keeps the first of a repeated parameter', () => {
    const header = parseHeaderWithParams(
      'form-data; name="a \\"b\\""; name="second"; filename=x.txt',
    );
    expect(Object.fromEntries(header.params)).toEqual({ name: 'a "b"', filename: 'x.txt' });
  });

  it('tolerates junk between parameters', () => {
    const header = parseHeaderWithParams('text/plain;; junk; charset=utf-8');
    expect(header.params.get('charset')).toBe('utf-8');
  });
});

describe('decodeText', () => {
  it('decodes a big body the same whether it is ASCII (an external string) or not', () => {
    const ascii = `{"items":[${'{"note":"plain text"},'.repeat(60_000)}{}]}`;
    expect(decodeText(Buffer.from(ascii, 'utf8'), undefined)).toEqual({ ok: true, text: ascii });
    const wide = `{"items":[${'{"note":"é—x"},'.repeat(100_000)}{}]}`;
    expect(decodeText(Buffer.from(wide, 'utf8'), 'utf-8')).toEqual({ ok: true, text: wide });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ascii, 'utf8')]);
    expect(decodeText(bom, undefined)).toEqual({ ok: true, text: ascii });
  });

  it('decodes UTF-8 by default and drops a byte order mark', () => {
    expect(decodeText(Buffer.from('\ufeffé', 'utf8'), undefined)).toEqual({ ok: true, text: 'é' });
  });

  it('decodes other charsets the platform knows', () => {
    const utf16 = Buffer.from('hé', 'utf16le');
    expect(decodeText(utf16, 'UTF-16LE')).toEqual({ ok: true, text: 'hé' });
    expect(decodeText(Buffer.from([0xe9]), 'latin1')).toEqual({ ok: true, text: 'é' });
  });

  it('refuses an unknown charset', () => {
    expect(decodeText(Buffer.from('x'), 'x-unknown')).toEqual({
      ok: false,
      status: 415,
      reason: 'charset x-unknown is not supported: send UTF-8',
    });
  });

  it('refuses invalid UTF-8 with the byte offset of the first bad sequence', () => {
    const at = (bytes: number[]) => decodeText(Buffer.from(bytes), undefined);
    const refused = (offset: number) => ({
      ok: false,
      status: 400,
      reason: `body is not valid UTF-8: invalid byte sequence at byte offset ${offset}`,
    });
    // {"a":" + an encoded lone surrogate (U+D800) + "}
    expect(at([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])).toEqual(
      refused(6),
    );
    expect(at([0x61, 0x80])).toEqual(refused(1)); // a stray continuation byte
    expect(at([0x61, 0xc3])).toEqual(refused(1)); // a truncated character
    expect(at([0xc0, 0xaf])).toEqual(refused(0)); // an overlong "/"
    expect(at([0xf4, 0x90, 0x80, 0x80])).toEqual(refused(0)); // past U+10FFFF
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0xff]), 'utf-8')).toEqual(refused(3));
    expect(at([0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9])).toEqual({ ok: true, text: '😀é' });
  });
});
