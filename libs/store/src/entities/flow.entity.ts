import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('flows')
export class FlowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  /** Number of the current version; bumped by every update. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'current_version_id', type: 'varchar', length: 36 })
  currentVersionId!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
