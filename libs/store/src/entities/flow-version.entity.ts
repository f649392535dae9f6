import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An immutable snapshot of a flow document; executions point at the version they ran. */
@Entity('flow_versions')
export class FlowVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'simple-json' })
  document!: unknown;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
