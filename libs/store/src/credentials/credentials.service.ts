import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  AppError,
  ChangeFeed,
  checkCredentialData,
  decryptSecret,
  encryptSecret,
  isCredentialType,
  Keyring,
  maskCredential,
  newId,
  notFound,
  SecretDecryptError,
  type CredentialType,
  type MaskedFields,
  type ResolvedCredential,
} from '@hookflow/common';
import type { CredentialEntity } from '../entities/credential.entity';
import { CredentialCache } from './credential-cache';
import { CredentialsRepository } from './credentials.repository';

export const ENCRYPTION_KEYRING = Symbol('ENCRYPTION_KEYRING');
export const CREDENTIAL_CACHE = Symbol('CREDENTIAL_CACHE');

/** A credential as it may leave the store: every secret masked. */
export interface CredentialView {
  id: string;
  name: string;
  type: CredentialType;
  /** Id of the key its secret is encrypted with (a hash prefix; not secret). */
  keyId: string;
  /** Identifying fields as they are, secrets as "••••"; empty when `readable` is false. */
  fields: MaskedFields;
  /** False when the secret cannot be decrypted with the configured keys. */
  readable: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored credential that cannot be used: its key is gone, or its row was tampered with. */
export class CredentialUnreadableError extends Error {
  readonly code = 'credential_unreadable';

  constructor(
    readonly credentialName: string,
    reason: string,
  ) {
    super(`credential "${credentialName}" cannot be read: ${reason}`);
    this.name = 'CredentialUnreadableError';
  }
}

/** Binds a ciphertext to its row: copied into another row, it does not decrypt. */
const contextOf = (row: Pick<CredentialEntity, 'id' | 'type'>) =>
  `credential:${row.id}:${row.type}`;

/**
 * The credential store: validates, encrypts, masks; `resolve` is the one way to the plaintext,
 * for nodes and triggers at run time.
 */
@Injectable()
export class CredentialsService {
  private readonly cache: CredentialCache;

  private readonly changes: ChangeFeed;

  constructor(
    @Inject(CredentialsRepository) private readonly credentials: CredentialsRepository,
    @Inject(ENCRYPTION_KEYRING) private readonly keyring: Keyring,
    @Optional() @Inject(CREDENTIAL_CACHE) cache?: CredentialCache,
    @Optional() @Inject(ChangeFeed) changes?: ChangeFeed,
  ) {
    this.cache = cache ?? new CredentialCache();
    this.changes = changes ?? new ChangeFeed();
    this.changes.subscribe((change) => {
      if (change.kind === 'credential') this.cache.invalidate(change.name);
      if (change.kind === 'everything') this.cache.invalidate();
    });
  }

  /** The credential changed: every process forgets its decrypted copy. */
  private changed(name: string): void {
    this.changes.publish({ kind: 'credential', name });
  }

  /** 400 `invalid_credential` with `/data/...` paths; 409 `conflict` when the name is taken. */
  async create(input: {
    name: string;
    type: CredentialType;
    data: unknown;
  }): Promise<CredentialView> {
    const credential = this.checked(input.type, input.data);
    const now = new Date();
    const id = newId();
    const row: CredentialEntity = {
      id,
      name: input.name,
      type: credential.type,
      ...encryptSecret(this.keyring, credential.data, contextOf({ id, type: credential.type })),
      createdAt: now,
      updatedAt: now,
    };
    if ((await this.credentials.insert(row)) === 'duplicate_name') {
      throw new AppError(409, 'conflict', `a credential named "${input.name}" already exists`, [
        { path: '/name', message: 'is already taken' },
      ]);
    }
    this.changed(input.name);
    return view(row, credential);
  }

  async list(): Promise<CredentialView[]> {
    const rows = await this.credentials.list();
    return rows.map((row) => this.present(row));
  }

  async get(id: string): Promise<CredentialView> {
    const row = await this.credentials.get(id);
    if (!row) throw notFound('credential');
    return this.present(row);
  }

  /** Replaces the secret data (validated against the credential's type, which never changes). */
  async replaceData(id: string, data: unknown): Promise<CredentialView> {
    const row = await this.credentials.get(id);
    if (!row) throw notFound('credential');
    if (!isCredentialType(row.type)) {
      throw new AppError(409, 'conflict', `credential type "${row.type}" is not known`);
    }
    const credential = this.checked(row.type, data);
    const updated = await this.credentials.replaceSecret({
      id,
      secret: encryptSecret(this.keyring, credential.data, contextOf(row)),
      updatedAt: new Date(),
    });
    this.changed(row.name);
    if (!updated) throw notFound('credential');
    return view(updated, credential);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.credentials.delete(id);
    if (!deleted) throw notFound('credential');
    this.changed(deleted.name);
  }

  /**
   * The decrypted credential named `name`, or undefined when there is none. Cached for a short
   * while (CREDENTIAL_CACHE_TTL_MS) and forgotten on create, update and delete in every process
   * (the change feed; the TTL only covers a change message lost in transit). Throws CredentialUnreadableError when it cannot be
   * decrypted. Every call gets its own copy.
   */
  async resolve(name: string): Promise<ResolvedCredential | undefined> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const generation = this.cache.generation;
    const row = await this.credentials.findByName(name);
    if (!row) return undefined;
    const credential = this.open(row);
    this.cache.set(name, credential, generation);
    return credential;
  }

  /**
   * Re-encrypts with the current key every credential still under an older one (after a rotation).
   * Compare-and-swap per row: a concurrent update wins. Answers how many rows were rewritten and
   * the names of those no configured key can read.
   */
  async reencrypt(): Promise<{ rewritten: number; unreadable: string[] }> {
    const rows = await this.credentials.notUnderKey(this.keyring.currentKeyId);
    let rewritten = 0;
    const unreadable: string[] = [];
    for (const row of rows) {
      let credential: ResolvedCredential;
      try {
        credential = this.open(row);
      } catch (error) {
        if (!(error instanceof CredentialUnreadableError)) throw error;
        unreadable.push(row.name);
        continue;
      }
      const updated = await this.credentials.replaceSecret({
        id: row.id,
        secret: encryptSecret(this.keyring, credential.data, contextOf(row)),
        updatedAt: row.updatedAt,
        expected: { keyId: row.keyId, ciphertext: row.ciphertext },
      });
      if (updated) rewritten += 1;
    }
    return { rewritten, unreadable };
  }

  private checked(type: CredentialType, data: unknown): ResolvedCredential {
    const result = checkCredentialData(type, data);
    if (result.ok) return result.credential;
    const count = result.problems.length;
    throw new AppError(
      400,
      'invalid_credential',
      `the ${type} credential data has ${count} problem${count === 1 ? '' : 's'}`,
      result.problems,
    );
  }

  /** Decrypts and re-checks a row against its type's schema. */
  private open(row: CredentialEntity): ResolvedCredential {
    if (!isCredentialType(row.type)) {
      throw new CredentialUnreadableError(row.name, `type "${row.type}" is not known`);
    }
    let data: unknown;
    try {
      data = decryptSecret(this.keyring, row, contextOf(row));
    } catch (error) {
      if (error instanceof SecretDecryptError) {
        throw new CredentialUnreadableError(row.name, error.message);
      }
      throw new CredentialUnreadableError(row.name, 'the decrypted data is not JSON');
    }
    const result = checkCredentialData(row.type, data);
    if (!result.ok) {
      throw new CredentialUnreadableError(row.name, `its data no longer fits type "${row.type}"`);
    }
    return result.credential;
  }

  private present(row: CredentialEntity): CredentialView {
    try {
      return view(row, this.open(row));
    } catch (error) {
      if (!(error instanceof CredentialUnreadableError)) throw error;
      return { ...view(row), readable: false };
    }
  }
}

function view(row: CredentialEntity, credential?: ResolvedCredential): CredentialView {
  return {
    id: row.id,
    name: row.name,
    type: row.type as CredentialType,
    keyId: row.keyId,
    fields: credential ? maskCredential(credential) : {},
    readable: credential !== undefined,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
