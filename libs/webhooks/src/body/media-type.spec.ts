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
      reason: 'charset x-unknown is not supported: send UTF-8',
    });
  });
});
