import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('flows')
export class FlowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  /** Number of the latest version (the draft when unpublished); bumped by every save. */
  @Column({ type: 'integer' })
  version!: number;

  /** The version deliveries run: the published one. A draft saved after it does not move it. */
  @Column({ name: 'current_version_id', type: 'varchar', length: 36 })
  currentVersionId!: string;

  /** Number of the published version (the one `currentVersionId` names). */
  @Column({ name: 'published_version', type: 'integer', default: 0 })
  publishedVersion!: number;

  /** The latest version's id: what the editor opens and the test URL runs. */
  @Column({ name: 'latest_version_id', type: 'varchar', length: 36, default: '' })
  latestVersionId!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
