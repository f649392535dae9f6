import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIG_WRITE_VALUE_BYTES, SqliteBatchRunner } from './sqlite-batch';

describe('SqliteBatchRunner', () => {
  let dir: string;
  let db: BetterSqlite3.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hf-batch-'));
    db = new BetterSqlite3(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = 'INSERT INTO rows (id, body) VALUES (?, CAST(? AS TEXT))';

  it('writes a big value with its batch intact, and leaves the connection as it was', () => {
    db.pragma('cache_size = -8000');
    const big = Buffer.from('é'.repeat(BIG_WRITE_VALUE_BYTES) + 'x'.repeat(3));
    const runner = new SqliteBatchRunner(db);
    const results = runner.run([
      { then: [[insert, ['small', 'a']]] },
      { then: [{ sql: insert, rows: [['big', big]] }] },
    ]);
    expect(results).toEqual([true, true]);
    const row = db.prepare('SELECT body FROM rows WHERE id = ?').get('big') as { body: string };
    expect(Buffer.from(row.body).equals(big)).toBe(true);
    expect(db.prepare('SELECT body FROM rows WHERE id = ?').get('small')).toEqual({ body: 'a' });
    expect(db.pragma('cache_size', { simple: true })).toBe(-8000);
  });

  it('fails only the failing plan of a batch with a big value', () => {
    db.pragma('cache_size = -8000');
    const big = 'y'.repeat(2 * BIG_WRITE_VALUE_BYTES);
    const runner = new SqliteBatchRunner(db);
    const results = runner.run([
      { then: [[insert, ['big', big]]] },
      // A NOT NULL constraint: this plan alone fails.
      { then: [[insert, ['broken', null]]] },
    ]);
    expect(results[0]).toBe(true);
    expect(results[1]).toEqual(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_NOTNULL' }));
    expect(db.prepare('SELECT length(body) AS n FROM rows').all()).toEqual([{ n: big.length }]);
    expect(db.pragma('cache_size', { simple: true })).toBe(-8000);
  });
});
