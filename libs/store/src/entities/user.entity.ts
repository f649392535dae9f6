import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An owner administers Hookflow (admin scope); a member reads and writes flows (read, write). */
export type UserRole = 'owner' | 'member';

/** A person who signs in to the editor with an email and a password. */
@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Lower-cased; unique. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  /** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`; never the password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  /**
   * `first` on the owner created by setup, null on everyone else: a unique column, so two
   * concurrent setups cannot both create an owner (NULLs never collide).
   */
  @Column({ name: 'setup_slot', type: 'varchar', length: 8, nullable: true, unique: true })
  setupSlot!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
