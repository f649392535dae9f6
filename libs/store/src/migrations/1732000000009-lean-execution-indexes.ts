import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every index is written by every accepted delivery, so executions keep only those a query needs:
 * `ix_executions_status` is a prefix of `ix_executions_status_finished` and goes; the reconciler's
 * and recovery's index on (status, updated_at) becomes a partial index over unfinished runs only,
 * which a run that finishes in the batch that accepts it never enters. Its queries name the three
 * statuses literally (a bound parameter could not prove the index's condition). Plain SQL: the
 * same statements on SQLite and PostgreSQL.
 */
export class LeanExecutionIndexes1732000000009 implements MigrationInterface {
  name = 'LeanExecutionIndexes1732000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS ix_executions_status');
    await queryRunner.query('DROP INDEX IF EXISTS ix_executions_status_updated');
    await queryRunner.query(
      'CREATE INDEX ix_executions_unfinished ON executions (updated_at) ' +
        "WHERE status IN ('pending', 'running', 'waiting')",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS ix_executions_unfinished');
    await queryRunner.query(
      'CREATE INDEX ix_executions_status_updated ON executions (status, updated_at)',
    );
    await queryRunner.query('CREATE INDEX ix_executions_status ON executions (status)');
  }
}
