import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('writes each millisecond as toISOString does, reused or not', () => {
    const stamps = [0, 0, 1, 1_733_000_000_123, 1_733_000_000_123, 1_733_000_000_124, 5];
    for (const ms of stamps) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
