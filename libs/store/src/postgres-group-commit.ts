import type { DataSource } from 'typeorm';
import { PerTurnBatch } from '@hookflow/common';
import { select, type SqlValue } from './raw-sql';
import { postgresParts, type WritePlan } from './write-plan';

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
    batch.forEach((entry, index) => {
      const planned = postgresParts(entry.plan, `p${index}`);
      parts.push(...planned.parts);
      parameters.push(...planned.parameters);
      results.push(`${planned.written} AS r${index}`);
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
