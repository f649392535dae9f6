import { DURATION_PATTERN, formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['14d', 14 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['5m', 300_000],
    ['15s', 15_000],
    ['250ms', 250],
    [' 2m ', 120_000],
    ['0s', 0],
    ['1h30m', 5_400_000],
    ['1d12h', 36 * 3_600_000],
    ['1m30s500ms', 90_500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    '14',
    'd',
    '1.5h',
    '-5m',
    '5 m',
    '5M',
    '5min',
    '1w',
    '30m1h',
    '1m1m',
    '1h 30m',
    '999999999d',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('matches the pattern validators and JSON Schema use, and only that', () => {
    for (const text of ['1h30m', '500ms', '14d', '30m1h', '', '5min']) {
      expect(DURATION_PATTERN.test(text)).toBe(parseDuration(text) !== undefined);
    }
  });
});

describe('formatDuration', () => {
  it('writes the largest units first', () => {
    expect(formatDuration(14 * 86_400_000)).toBe('14d');
    expect(formatDuration(36 * 3_600_000)).toBe('1d12h');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(1500)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips with parseDuration', () => {
    for (const text of ['14d', '30d', '5m', '1d12h', '15s', '750ms', '1h30m']) {
      expect(formatDuration(parseDuration(text) ?? -1)).toBe(text);
    }
  });
});
