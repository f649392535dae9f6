import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Big trigger bodies are stored once per execution (`executions.payload`, JSON text) instead of
 * inside the run state, its checkpoints and its step rows; `execution_steps.payload_refs` says
 * which of a step's `input` and `output` is that body (`input`, `output` or `input,output`).
 * Plain ALTER TABLE: the same statement on both databases, and no table copy on SQLite.
 */
export class StoredPayloads1732000000008 implements MigrationInterface {
  name = 'StoredPayloads1732000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE executions ADD COLUMN payload text NULL');
    await queryRunner.query('ALTER TABLE execution_steps ADD COLUMN payload_refs varchar(20) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE execution_steps DROP COLUMN payload_refs');
    await queryRunner.query('ALTER TABLE executions DROP COLUMN payload');
  }
}
