import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every request received on a hook, accepted or not, with the answer it got. */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'hook_id', type: 'varchar', length: 64 })
  hookId!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36, nullable: true })
  flowId!: string | null;

  @Column({ name: 'received_at' })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  /** Request headers with secrets redacted. */
  @Column({ type: 'simple-json' })
  headers!: Record<string, string>;

  @Column({ type: 'simple-json' })
  query!: Record<string, string>;

  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true })
  contentType!: string | null;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  /** The body as received (UTF-8 text); null when it was rejected before reading. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  /**
   * How many rows of `delivery_body_parts` hold the body (a big one, see delivery-body-parts.ts); null
   * when it is in `body`. Readers get `body` put together (DeliveriesRepository).
   */
  @Column({ name: 'body_parts', type: 'integer', nullable: true })
  bodyParts?: number | null;

  /** HTTP status answered to the sender. */
  @Column({ type: 'integer' })
  status!: number;

  /** Why the delivery was rejected, for the owner to read. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ name: 'execution_id', type: 'varchar', length: 36, nullable: true })
  executionId!: string | null;

  /**
   * The delivery this one replays (POST /api/deliveries/:id/replay); null for requests that came
   * in on the hook. Optional so rows written without it are stored as null.
   */
  @Column({ name: 'replay_of', type: 'varchar', length: 36, nullable: true })
  replayOf?: string | null;
}
