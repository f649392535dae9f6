import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['14d', 14 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['5m', 300_000],
    ['15s', 15_000],
    ['250ms', 250],
    [' 2m ', 120_000],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '14', 'd', '1.5h', '-5m', '5 m', '5M', '5min', '1w', '1d2h', '999999999d'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  it('writes the largest whole unit', () => {
    expect(formatDuration(14 * 86_400_000)).toBe('14d');
    expect(formatDuration(36 * 3_600_000)).toBe('36h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
  });

  it('round-trips with parseDuration', () => {
    for (const text of ['14d', '30d', '5m', '36h', '15s', '750ms']) {
      expect(formatDuration(parseDuration(text) ?? -1)).toBe(text);
    }
  });
});
