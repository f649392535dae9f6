import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryComparison, DeliveryVerdict } from '@hookflow/engine';

/** One delivery of a dry run: how the draft's run of it compares with the published version's. */
@Entity('dry_run_deliveries')
export class DryRunDeliveryEntity {
  @PrimaryColumn({ name: 'dry_run_id', type: 'varchar', length: 36 })
  dryRunId!: string;

  /** Its place in the selection (newest delivery first; samples in the order given). */
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  /** The delivery tried; null for a pasted sample body. */
  @Column({ name: 'delivery_id', type: 'varchar', length: 36, nullable: true })
  deliveryId!: string | null;

  /** The recorded run it is compared with; null when there was none (a sample). */
  @Column({ name: 'execution_id', type: 'varchar', length: 36, nullable: true })
  executionId!: string | null;

  @Column({ name: 'received_at', type: Date, nullable: true })
  receivedAt!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  verdict!: DeliveryVerdict;

  @Column({ type: 'simple-json' })
  comparison!: DeliveryComparison;
}
