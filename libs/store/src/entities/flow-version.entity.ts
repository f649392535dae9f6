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

  /** Who saved it: the API key's name or the user's email (null: saved before authors were kept). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  author!: string | null;

  /** Why it was saved, as the author put it ("restored from version 3" for a restore). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  message!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
