import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The last request captured on a trigger's test URL: the sample data the editor previews with. */
export class TriggerSamples1732000000004 implements MigrationInterface {
  name = 'TriggerSamples1732000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.addColumns('hooks', [
      new TableColumn({ name: 'sample', type: 'text', isNullable: true }),
      new TableColumn({
        name: 'sample_at',
        type: postgres ? 'timestamptz' : 'datetime',
        isNullable: true,
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('hooks', 'sample_at');
    await queryRunner.dropColumn('hooks', 'sample');
  }
}
