import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCheckpointer } from './sqlite-checkpointer';

describe('SqliteCheckpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hf-checkpointer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the WAL bounded while the main connection never checkpoints', async () => {
    const path = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT)');
    const errors: string[] = [];
    const checkpointer = new SqliteCheckpointer(db, {
      path,
      synchronous: 'NORMAL',
      onError: (message) => errors.push(message),
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO rows (payload) VALUES (?)');
    const commit = db.transaction((count: number) => {
      for (let row = 0; row < count; row += 1) insert.run('x'.repeat(2000));
    });
    // 64 MiB of rows in small commits, as a busy intake writes them; the thread checkpoints
    // meanwhile (a restart above 16 MiB), so the WAL file stays far below what was written.
    let largestWal = 0;
    for (let batch = 0; batch < 1600; batch += 1) {
      commit(20);
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
      if (batch % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(largestWal).toBeLessThan(40 * 1_048_576);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 32_000 });
    await checkpointer.stop();
    // Stopped: the connection checkpoints as SQLite does by default.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(errors).toEqual([]);
    db.close();
  });

  it('never keeps a transaction that read first from writing next (no lock held while it waits)', async () => {
    const path = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT)');
    const checkpointer = new SqliteCheckpointer(db, {
      path,
      synchronous: 'NORMAL',
      onError: () => undefined,
    });
    // A WAL past the restart threshold (16 MiB): every tick now tries a restart.
    const insert = db.prepare('INSERT INTO rows (payload) VALUES (?)');
    db.transaction(() => {
      for (let row = 0; row < 10_000; row += 1) insert.run('x'.repeat(2000));
    })();
    // A transaction reads (a snapshot on the WAL), the thread ticks meanwhile, then it writes:
    // as the retention's deletes do. A restart that waited for this reader with the writer lock
    // taken would make the write fail with "database is locked" after the busy timeout.
    db.exec('BEGIN');
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(() => db.prepare('DELETE FROM rows WHERE id <= 100').run()).not.toThrow();
    db.exec('COMMIT');
    await checkpointer.stop();
    db.close();
  });

  it('restarts the WAL only between the writes that wait their turn, so they never meet its lock', async () => {
    const path = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    // A write that met the restart's writer lock would fail at once instead of sleeping in
    // SQLite's busy handler (as the group commit's writes did: stalls of 10–30 ms).
    db.pragma('busy_timeout = 0');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT)');
    // The writers' line, as Database.outsideTransactions keeps it.
    let line: Promise<unknown> = Promise.resolve();
    const turn = <T>(work: () => Promise<T>): Promise<T> => {
      const run = line.then(work);
      line = run.catch(() => undefined);
      return run;
    };
    const errors: string[] = [];
    const checkpointer = new SqliteCheckpointer(db, {
      path,
      synchronous: 'NORMAL',
      onError: (message) => errors.push(message),
      turn,
    });
    const insert = db.prepare('INSERT INTO rows (payload) VALUES (?)');
    const commit = db.transaction((count: number) => {
      for (let row = 0; row < count; row += 1) insert.run('x'.repeat(2000));
    });
    // 64 MiB in small commits, each in line, several restarts' worth (above 16 MiB each).
    let largestWal = 0;
    try {
      for (let batch = 0; batch < 1600; batch += 1) {
        await turn(async () => commit(20));
        largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
        if (batch % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await checkpointer.stop();
    }
    expect(largestWal).toBeLessThan(40 * 1_048_576);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 32_000 });
    expect(errors).toEqual([]);
    db.close();
  });
});
