import { dbTime, insertSql, insertText } from './raw-sql';

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

describe('insertSql', () => {
  it('writes one placeholder per column, with the values in column order', () => {
    expect(insertSql('things', { id: 't1', size: 3, note: null })).toEqual([
      'INSERT INTO things (id, size, note) VALUES (?, ?, ?)',
      ['t1', 3, null],
    ]);
  });

  it('writes the same text for every row of a kind, another for another column order', () => {
    const [first] = insertSql('things', { id: 't1', size: 3 });
    const [again] = insertSql('things', { id: 't2', size: 4 });
    const [other] = insertSql('things', { size: 4, id: 't2' });
    expect(again).toBe(first);
    expect(other).toBe('INSERT INTO things (size, id) VALUES (?, ?)');
    expect(insertSql('others', { id: 'o1', size: 1 })[0]).toBe(
      'INSERT INTO others (id, size) VALUES (?, ?)',
    );
  });

  it('keeps a variant with its own placeholders apart from the plain text', () => {
    const cast = (column: string) => (column === 'body' ? 'CAST(? AS TEXT)' : '?');
    expect(insertText('things', ['id', 'body'], cast, 'bytes')).toBe(
      'INSERT INTO things (id, body) VALUES (?, CAST(? AS TEXT))',
    );
    expect(insertText('things', ['id', 'body'])).toBe(
      'INSERT INTO things (id, body) VALUES (?, ?)',
    );
  });
});
