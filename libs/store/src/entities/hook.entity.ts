import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonValue } from '@hookflow/engine';

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

  /** The last request captured on the test URL (method, headers, query, body). */
  @Column({ type: 'simple-json', nullable: true, select: false })
  sample?: TriggerSample | null;

  @Column({ name: 'sample_at', nullable: true, type: Date, select: false })
  sampleAt?: Date | null;
}

export interface TriggerSample {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: JsonValue;
}
