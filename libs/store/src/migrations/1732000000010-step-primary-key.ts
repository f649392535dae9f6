import type { MigrationInterface, QueryRunner } from 'typeorm';

const STEP_COLUMNS =
  'execution_id, seq, node_id, node_type, status, port, input, output, error, started_at, ' +
  'finished_at, attempt, payload_refs';

/**
 * A step is identified by its execution and its place in it: `(execution_id, seq)` becomes the
 * primary key and the random `id` column goes. Every node run wrote two index entries (the id and
 * the unique (execution_id, seq)) and a generated id; now one, and the steps of an execution are
 * stored together, in order. SQLite cannot change a primary key in place: the table is copied
 * once (explicit SQL: TypeORM's own rebuild drops columns added by plain ALTER TABLE).
 */
export class StepPrimaryKey1732000000010 implements MigrationInterface {
  name = 'StepPrimaryKey1732000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        'ALTER TABLE execution_steps DROP CONSTRAINT IF EXISTS uq_execution_steps_seq',
      );
      // Dropping the id column drops the primary key made of it.
      await queryRunner.query('ALTER TABLE execution_steps DROP COLUMN id');
      await queryRunner.query('ALTER TABLE execution_steps ADD PRIMARY KEY (execution_id, seq)');
      return;
    }
    await queryRunner.query(
      'CREATE TABLE execution_steps_by_seq (' +
        'execution_id varchar(36) NOT NULL, seq integer NOT NULL, node_id varchar(64) NOT NULL, ' +
        'node_type varchar(100) NOT NULL, status varchar(16) NOT NULL, port varchar(64), ' +
        'input text NOT NULL, output text, error text, started_at datetime NOT NULL, ' +
        'finished_at datetime NOT NULL, attempt integer NOT NULL DEFAULT (1), ' +
        'payload_refs varchar(20), PRIMARY KEY (execution_id, seq))',
    );
    await queryRunner.query(
      `INSERT INTO execution_steps_by_seq (${STEP_COLUMNS}) SELECT ${STEP_COLUMNS} FROM execution_steps`,
    );
    await queryRunner.query('DROP TABLE execution_steps');
    await queryRunner.query('ALTER TABLE execution_steps_by_seq RENAME TO execution_steps');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Old rows get an id made of their execution and seq: unique, at most 36 characters.
    const id = "substr(execution_id, 1, 24) || '-' || seq";
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE execution_steps DROP CONSTRAINT execution_steps_pkey');
      await queryRunner.query('ALTER TABLE execution_steps ADD COLUMN id varchar(36)');
      await queryRunner.query(`UPDATE execution_steps SET id = ${id}`);
      await queryRunner.query('ALTER TABLE execution_steps ADD PRIMARY KEY (id)');
      await queryRunner.query(
        'ALTER TABLE execution_steps ADD CONSTRAINT uq_execution_steps_seq UNIQUE (execution_id, seq)',
      );
      return;
    }
    await queryRunner.query(
      'CREATE TABLE execution_steps_by_id (id varchar(36) PRIMARY KEY NOT NULL, ' +
        'execution_id varchar(36) NOT NULL, seq integer NOT NULL, node_id varchar(64) NOT NULL, ' +
        'node_type varchar(100) NOT NULL, status varchar(16) NOT NULL, port varchar(64), ' +
        'input text NOT NULL, output text, error text, started_at datetime NOT NULL, ' +
        'finished_at datetime NOT NULL, attempt integer NOT NULL DEFAULT (1), ' +
        'payload_refs varchar(20), CONSTRAINT uq_execution_steps_seq UNIQUE (execution_id, seq))',
    );
    await queryRunner.query(
      `INSERT INTO execution_steps_by_id (id, ${STEP_COLUMNS}) SELECT ${id}, ${STEP_COLUMNS} FROM execution_steps`,
    );
    await queryRunner.query('DROP TABLE execution_steps');
    await queryRunner.query('ALTER TABLE execution_steps_by_id RENAME TO execution_steps');
  }
}
