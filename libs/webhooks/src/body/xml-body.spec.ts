import { parseXmlBody, type XmlOptions } from './xml-body';

const options: XmlOptions = { maxDepth: 64, maxKeysPerObject: 10_000, arrayElements: [] };

function parsed(text: string, custom: Partial<XmlOptions> = {}) {
  const result = parseXmlBody(text, { ...options, ...custom });
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.body;
}

describe('parseXmlBody', () => {
  it('maps elements, attributes, text and repeats as documented', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <!-- a comment -->
      <order id="7" status="paid">
        <customer>Ann</customer>
        <note lang="en">Leave at the door</note>
        <item sku="A1">2</item>
        <item sku="B2">1</item>
        <gift/>
        <zip>01234</zip>
        <total>12345678901234567890</total>
      </order>`;
    expect(parsed(xml)).toEqual({
      order: {
        '@_id': '7',
        '@_status': 'paid',
        customer: 'Ann',
        note: { '@_lang': 'en', '#text': 'Leave at the door' },
        item: [
          { '@_sku': 'A1', '#text': '2' },
          { '@_sku': 'B2', '#text': '1' },
        ],
        gift: '',
        zip: '01234',
        total: '12345678901234567890',
      },
    });
  });

  it('makes a listed element an array even when it occurs once', () => {
    const xml = '<order><item>1</item><other>x</other></order>';
    expect(parsed(xml)).toEqual({ order: { item: '1', other: 'x' } });
    expect(parsed(xml, { arrayElements: ['item'] })).toEqual({
      order: { item: ['1'], other: 'x' },
    });
  });

  it('decodes entities, keeps CDATA verbatim and keeps namespace prefixes', () => {
    const xml =
      '<s:Envelope xmlns:s="urn:x"><s:Body>a &amp; b &lt;c&gt; &#65;&#x42;<![CDATA[ <raw> ]]></s:Body></s:Envelope>';
    expect(parsed(xml)).toEqual({
      's:Envelope': { '@_xmlns:s': 'urn:x', 's:Body': 'a & b <c> AB <raw> ' },
    });
  });

  it('drops __proto__ elements, keeps constructor/prototype/toString as plain data', () => {
    const xml =
      '<root __proto__="a"><__proto__><polluted>yes</polluted></__proto__>' +
      '<constructor><prototype><polluted>yes</polluted></prototype></constructor>' +
      '<toString>1</toString><hasOwnProperty>2</hasOwnProperty></root>';
    const body = parsed(xml);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(body).toEqual({
      root: {
        '@___proto__': 'a',
        constructor: { prototype: { polluted: 'yes' } },
        toString: '1',
        hasOwnProperty: '2',
      },
    });
    const root = (body as Record<string, object>).root;
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
  });

  it('refuses a DOCTYPE (entity expansion) with 400', () => {
    const bomb = '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>';
    expect(parseXmlBody(bomb, options)).toEqual({
      ok: false,
      status: 400,
      reason: 'XML with a DOCTYPE declaration is not accepted',
    });
  });

  it.each([
    ['<a><b></a>', "Expected closing tag 'b'"],
    ['not xml', 'body is not well-formed XML'],
    ['<a x="1" x="2"/>', "Attribute 'x' is repeated"],
  ])('refuses malformed XML %j with where it broke', (xml, expected) => {
    const result = parseXmlBody(xml, options);
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (!result.ok) {
      expect(result.reason).toContain(expected);
      expect(result.reason).toMatch(/at line \d+/);
    }
  });

  it('refuses an empty body', () => {
    expect(parseXmlBody('  ', options)).toMatchObject({ ok: false, reason: 'body is empty' });
  });

  it('refuses nesting past maxDepth, naming the limit', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXmlBody(deep(4), { ...options, maxDepth: 4 }).ok).toBe(true);
    expect(parseXmlBody(deep(6), { ...options, maxDepth: 4 })).toEqual({
      ok: false,
      status: 400,
      reason: 'body nests deeper than 4 levels (limit maxDepth)',
    });
  });

  it('refuses an element with more keys than maxKeysPerObject, naming the element', () => {
    const xml = '<root><a>1</a><b>2</b><c x="1"/></root>';
    expect(parseXmlBody(xml, { ...options, maxKeysPerObject: 2 })).toEqual({
      ok: false,
      status: 400,
      reason: 'element <root> has more than 2 keys (limit maxKeysPerObject)',
    });
  });
});
