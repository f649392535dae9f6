import { newId } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs that ascend in the order they were made', () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the time of making in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // Ids made faster than 4,096 a millisecond borrow the next milliseconds (see newId).
    expect(ms).toBeLessThanOrEqual(Date.now() + 5);
  });

  it('draws its last 62 bits at random (no two of many share them)', () => {
    const tails = new Set(Array.from({ length: 20_000 }, () => newId().slice(19)));
    expect(tails.size).toBe(20_000);
  });
});
