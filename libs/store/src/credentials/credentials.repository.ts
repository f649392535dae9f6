import { Inject, Injectable } from '@nestjs/common';
import { Not } from 'typeorm';
import { Database } from '../database';
import { CredentialEntity } from '../entities/credential.entity';
import { insertRows, updateRows } from '../rows';
import { isUniqueViolation } from '../unique-violation';

export type SealedSecret = Pick<CredentialEntity, 'keyId' | 'ciphertext'>;

/** Rows of the credential store; it only ever sees ciphertext. */
@Injectable()
export class CredentialsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  list(): Promise<CredentialEntity[]> {
    return this.database.manager.find(CredentialEntity, { order: { name: 'ASC' } });
  }

  get(id: string): Promise<CredentialEntity | null> {
    return this.database.manager.findOneBy(CredentialEntity, { id });
  }

  findByName(name: string): Promise<CredentialEntity | null> {
    return this.database.manager.findOneBy(CredentialEntity, { name });
  }

  /** Stores a new credential; `duplicate_name` when the name is taken. */
  async insert(row: CredentialEntity): Promise<'created' | 'duplicate_name'> {
    try {
      await this.database.transaction((manager) => insertRows(manager, CredentialEntity, row));
      return 'created';
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate_name';
      throw error;
    }
  }

  /**
   * Replaces the secret. With `expected`, only if the row still holds exactly that ciphertext
   * (compare-and-swap: re-encryption never overwrites a concurrent update).
   */
  async replaceSecret(input: {
    id: string;
    secret: SealedSecret;
    updatedAt: Date;
    expected?: SealedSecret;
  }): Promise<CredentialEntity | undefined> {
    return this.database.transaction(async (manager) => {
      const updated = await updateRows(
        manager,
        CredentialEntity,
        input.expected
          ? { id: input.id, keyId: input.expected.keyId, ciphertext: input.expected.ciphertext }
          : { id: input.id },
        {
          keyId: input.secret.keyId,
          ciphertext: input.secret.ciphertext,
          updatedAt: input.updatedAt,
        },
      );
      if (updated === 0) return undefined;
      return (await manager.findOneBy(CredentialEntity, { id: input.id })) ?? undefined;
    });
  }

  /** Deletes the row and answers what it was (the caller forgets its cached secret by name). */
  async delete(id: string): Promise<CredentialEntity | undefined> {
    return this.database.transaction(async (manager) => {
      const row = await manager.findOneBy(CredentialEntity, { id });
      if (!row) return undefined;
      await manager.delete(CredentialEntity, { id });
      return row;
    });
  }

  /** Rows encrypted under another key than `keyId` (left to re-encrypt after a rotation). */
  notUnderKey(keyId: string): Promise<CredentialEntity[]> {
    return this.database.manager.find(CredentialEntity, { where: { keyId: Not(keyId) } });
  }
}
