import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One dedup key seen on a flow's trigger. The primary key makes a second insert of the same key
 * fail, so two copies of a delivery arriving in the same millisecond still run once.
 */
@Entity('delivery_keys')
export class DeliveryKeyEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ name: 'execution_id', type: 'varchar', length: 36 })
  executionId!: string;

  @Column({ name: 'delivery_id', type: 'varchar', length: 36 })
  deliveryId!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'expires_at' })
  expiresAt!: Date;
}
