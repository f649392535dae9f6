import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The delivery log API: `replay_of` links a replayed delivery to the one it copies, and an index
 * on `received_at` serves the unfiltered newest-first listing.
 */
export class DeliveryReplay1732000000003 implements MigrationInterface {
  name = 'DeliveryReplay1732000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'deliveries',
      new TableColumn({ name: 'replay_of', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.createIndex(
      'deliveries',
      new TableIndex({ name: 'ix_deliveries_received', columnNames: ['received_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('deliveries', 'ix_deliveries_received');
    await queryRunner.dropColumn('deliveries', 'replay_of');
  }
}
