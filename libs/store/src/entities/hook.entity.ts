import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The public address of one trigger node. Created once and kept for the life of the node,
 * because users paste `/hooks/<id>` into other services.
 */
@Entity('hooks')
export class HookEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 64 })
  nodeId!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
