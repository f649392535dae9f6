import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes the retention pruner's queries need, so a pass reads only the rows it deletes:
 * finished runs by age, deliveries by the execution they started (deleted with it) and
 * executions by their delivery (a delivery still referred to is kept).
 */
export class Retention1732000000007 implements MigrationInterface {
  name = 'Retention1732000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'executions',
      new TableIndex({
        name: 'ix_executions_status_finished',
        columnNames: ['status', 'finished_at'],
      }),
    );
    await queryRunner.createIndex(
      'executions',
      new TableIndex({ name: 'ix_executions_delivery', columnNames: ['delivery_id'] }),
    );
    await queryRunner.createIndex(
      'deliveries',
      new TableIndex({ name: 'ix_deliveries_execution', columnNames: ['execution_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('deliveries', 'ix_deliveries_execution');
    await queryRunner.dropIndex('executions', 'ix_executions_delivery');
    await queryRunner.dropIndex('executions', 'ix_executions_status_finished');
  }
}
