import { BODY_PART_BYTES, bodyParts, storedInParts } from './delivery-body-parts';

const joined = (parts: Array<string | Buffer>) =>
  parts.map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : part)).join('');

describe('bodyParts', () => {
  it('stores a body of up to one part in the row, a longer one in parts', () => {
    expect(storedInParts(null)).toBe(false);
    expect(storedInParts(Buffer.alloc(BODY_PART_BYTES))).toBe(false);
    expect(storedInParts(Buffer.alloc(BODY_PART_BYTES + 1))).toBe(true);
    expect(storedInParts('x'.repeat(BODY_PART_BYTES + 1))).toBe(true);
    // Counted in UTF-8: 'é' takes two bytes.
    expect(storedInParts('é'.repeat(BODY_PART_BYTES / 2))).toBe(false);
    expect(storedInParts('é'.repeat(BODY_PART_BYTES / 2 + 1))).toBe(true);
  });

  it.each(['sqlite', 'postgres'] as const)(
    'cuts bytes only between UTF-8 characters, so each part is text by itself (%s)',
    (kind) => {
      // A 3-byte character straddles every part boundary: 'a' shifts it by one byte.
      const text = 'a' + '—'.repeat(BODY_PART_BYTES);
      const bytes = Buffer.from(text, 'utf8');
      const parts = bodyParts(kind, bytes);
      expect(parts.length).toBe(Math.ceil(bytes.length / BODY_PART_BYTES));
      for (const part of parts) {
        const partBytes = Buffer.isBuffer(part) ? part : Buffer.from(part, 'utf8');
        expect(partBytes.length).toBeLessThanOrEqual(BODY_PART_BYTES);
        // Decoding a part alone loses nothing: no replacement character anywhere.
        expect(partBytes.toString('utf8').includes('\uFFFD')).toBe(false);
        // SQLite gets the bytes themselves (never decoded to be written), PostgreSQL text.
        expect(Buffer.isBuffer(part)).toBe(kind === 'sqlite');
      }
      expect(joined(parts) === text).toBe(true);
    },
  );

  it('cuts a string between the halves of no surrogate pair', () => {
    const text = 'b' + '😀'.repeat(BODY_PART_BYTES);
    const parts = bodyParts('sqlite', text);
    for (const part of parts) {
      expect(typeof part).toBe('string');
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(BODY_PART_BYTES);
      expect(Buffer.from(part as string, 'utf8').toString('utf8') === part).toBe(true);
      expect((part as string).length).toBeLessThanOrEqual(BODY_PART_BYTES);
    }
    expect(parts.join('') === text).toBe(true);
  });

  it('keeps an ASCII body in parts of exactly the part size, the rest last', () => {
    const bytes = Buffer.alloc(2 * BODY_PART_BYTES + 5, 'x');
    const parts = bodyParts('sqlite', bytes);
    expect(parts.map((part) => part.length)).toEqual([BODY_PART_BYTES, BODY_PART_BYTES, 5]);
  });
});
