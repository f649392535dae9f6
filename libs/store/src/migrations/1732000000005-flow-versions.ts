import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Versions become a history people read and act on: who saved each one and why, and which one
 * runs. `current_version_id` keeps meaning "the version deliveries run" (now: the published one);
 * `latest_version_id` is the newest save, which may be an unpublished draft.
 */
export class FlowVersions1732000000005 implements MigrationInterface {
  name = 'FlowVersions1732000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('flows', [
      new TableColumn({ name: 'published_version', type: 'integer', default: 0 }),
      new TableColumn({ name: 'latest_version_id', type: 'varchar', length: '36', default: "''" }),
    ]);
    // Until now every save took effect at once: the latest version is the published one.
    await queryRunner.query(
      'UPDATE flows SET published_version = version, latest_version_id = current_version_id',
    );
    await queryRunner.addColumns('flow_versions', [
      new TableColumn({ name: 'author', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'message', type: 'varchar', length: '1000', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('flow_versions', 'message');
    await queryRunner.dropColumn('flow_versions', 'author');
    await queryRunner.dropColumn('flows', 'latest_version_id');
    await queryRunner.dropColumn('flows', 'published_version');
  }
}
