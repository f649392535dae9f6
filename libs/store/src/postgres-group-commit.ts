import type { DataSource } from 'typeorm';
import { PerTurnBatch } from '@hookflow/common';
import { select, type SqlValue } from './raw-sql';
import { postgresParts, type Statement, type Write, type WritePlan } from './write-plan';

interface Entry {
  plan: WritePlan;
  resolve(written: boolean): void;
  reject(error: unknown): void;
}

/** Plans per statement, and bound values per statement (PostgreSQL allows 65,535). */
const MAX_PLANS = 128;
const MAX_PARAMETERS = 30_000;

/**
 * Group commit for PostgreSQL: the plans that concurrent requests and runs of this process submit
 * during one turn of the event loop go to the server as ONE statement (each plan's guard and
 * inserts as CTEs of its own, one result column per plan). On this kind of machine a message to
 * the database costs more CPU than the statement itself, so 64 accepts cost about one. The
 * statement is atomic: if it fails (two plans claiming one dedup key, say), each plan is written
 * alone and gets its own answer.
 */
export class PostgresGroupCommit {
  private readonly batch = new PerTurnBatch<Entry>((entries) => this.flush(entries));

  constructor(
    private readonly dataSource: DataSource,
    private readonly alone: (plan: WritePlan) => Promise<boolean>,
  ) {}

  submit(plan: WritePlan): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => this.batch.add({ plan, resolve, reject }));
  }

  private flush(entries: Entry[]): void {
    for (let start = 0; start < entries.length;) {
      const batch: Entry[] = [];
      let parameters = 0;
      while (start < entries.length && batch.length < MAX_PLANS && parameters < MAX_PARAMETERS) {
        batch.push(entries[start]);
        parameters += entries[start].plan.then.length * 16 + 16;
        start += 1;
      }
      void this.write(batch);
    }
  }

  private async write(batch: Entry[]): Promise<void> {
    if (batch.length === 1) return this.writeEach(batch);
    const parts: string[] = [];
    const parameters: SqlValue[] = [];
    const results: string[] = [];
    const merged = new MergedInserts();
    batch.forEach((entry, index) => {
      // A plan without a guard is always written: its plain INSERTs join those of the other
      // plans into one multi-row INSERT per table (see MergedInserts).
      const plan = entry.plan.guard
        ? entry.plan
        : { then: entry.plan.then.filter((write) => !merged.take(write)) };
      const planned = postgresParts(plan, `p${index}`);
      parts.push(...planned.parts);
      parameters.push(...planned.parameters);
      results.push(`${planned.written} AS r${index}`);
    });
    const rows = merged.statements();
    rows.forEach(([sql, values], index) => {
      parts.push(`m${index} AS (${sql})`);
      parameters.push(...values);
    });
    const sql = `${parts.length > 0 ? `WITH ${parts.join(', ')} ` : ''}SELECT ${results.join(', ')}`;
    let row: Record<string, number> | undefined;
    try {
      row = (await select<Record<string, number>>(this.dataSource, 'postgres', sql, parameters))[0];
    } catch {
      // One plan spoiled the statement (or the connection failed): each goes again alone.
      return this.writeEach(batch);
    }
    batch.forEach((entry, index) => entry.resolve((row?.[`r${index}`] ?? 0) > 0));
  }

  private async writeEach(batch: Entry[]): Promise<void> {
    await Promise.all(
      batch.map((entry) => this.alone(entry.plan).then(entry.resolve, entry.reject)),
    );
  }
}

/** `INSERT INTO table (a, b) VALUES (?, ?)` and nothing else: a row that can join others. */
const PLAIN_INSERT = /^(INSERT INTO \w+ \([\w, ]+\)) VALUES (\(\?(?:, \?)*\))$/;

/**
 * The plain INSERTs of a batch's unguarded plans, as one multi-row INSERT per table and column
 * list. A statement with a CTE per row costs PostgreSQL more to plan than to run, and more than
 * linearly: 32 executions rows took 0.185 ms of server CPU each as 32 CTEs, 0.033 ms as one
 * INSERT (measured on this schema). The batch is one statement either way, so the rows commit
 * or fail together as before.
 */
class MergedInserts {
  private readonly byHead = new Map<string, { tuples: string[]; values: SqlValue[] }>();

  /** Keeps the write if it is a plain INSERT (true), else leaves it to its plan (false). */
  take(write: Write): boolean {
    if (!Array.isArray(write)) {
      const { insert, rows } = write;
      if (rows.length === 0) return true;
      const tuple = `(${insert.columns.map(() => '?').join(', ')})`;
      const group = this.group(`INSERT INTO ${insert.table} (${insert.columns.join(', ')})`);
      for (const row of rows) {
        group.tuples.push(tuple);
        group.values.push(...row);
      }
      return true;
    }
    const [sql, values] = write;
    const plain = PLAIN_INSERT.exec(sql);
    if (!plain) return false;
    const group = this.group(plain[1]);
    group.tuples.push(plain[2]);
    group.values.push(...values);
    return true;
  }

  private group(head: string): { tuples: string[]; values: SqlValue[] } {
    let group = this.byHead.get(head);
    if (!group) {
      group = { tuples: [], values: [] };
      this.byHead.set(head, group);
    }
    return group;
  }

  statements(): Statement[] {
    return [...this.byHead].map(([head, { tuples, values }]): Statement => [
      `${head} VALUES ${tuples.join(', ')}`,
      values,
    ]);
  }
}
