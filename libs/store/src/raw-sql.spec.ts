import { dbTime } from './raw-sql';

describe('dbTime', () => {
  it('writes SQLite datetimes in UTC with milliseconds, for every millisecond in turn', () => {
    expect(dbTime('sqlite', new Date('2026-12-04T07:08:09.005Z'))).toBe('2026-12-04 07:08:09.005');
    expect(dbTime('sqlite', new Date('2026-12-04T07:08:09.005Z'))).toBe('2026-12-04 07:08:09.005');
    expect(dbTime('sqlite', new Date('2026-12-04T07:08:09.006Z'))).toBe('2026-12-04 07:08:09.006');
    expect(dbTime('sqlite', new Date('0999-01-02T03:04:05.000Z'))).toBe('0999-01-02 03:04:05.000');
  });

  it('hands PostgreSQL the Date itself', () => {
    const date = new Date('2026-12-04T07:08:09.005Z');
    expect(dbTime('postgres', date)).toBe(date);
  });
});
