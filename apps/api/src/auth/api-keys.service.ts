import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  ChangeFeed,
  HOOKFLOW_CONFIG,
  LOGGER,
  newApiKey,
  notFound,
  sha256Hex,
  type HookflowConfig,
} from '@hookflow/common';
import { ApiKeysRepository, UsersRepository, type ApiKeyEntity } from '@hookflow/store';
import type { Principal, Scope } from './principal';
import { expandScopes } from './scopes';

/**
 * How long an authenticated key skips the database. A revoked key stops at once in every process
 * (the change feed); this bounds how long a revocation message lost in transit goes unnoticed.
 */
export const KEY_CACHE_TTL_MS = 5_000;
/** lastUsedAt is written at most this often per key. */
const LAST_USED_PRECISION_MS = 60_000;
const ALL_SCOPES: Scope[] = ['read', 'write', 'admin'];

/** What GET /api/keys answers for a key: never the key or its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  owner: { id: string; email: string; name: string } | null;
}

export interface CreateKeyInput {
  name: string;
  scopes: Scope[];
  /** The user the key belongs to (the creator); none for the CLI and seeded keys. */
  userId?: string;
}

@Injectable()
export class ApiKeysService implements OnModuleInit {
  /** Key hash -> when it was last confirmed, so authenticated requests skip the database. */
  private readonly confirmed = new Map<string, { at: number; principal: Principal }>();
  /** A key generated on this start; shown once in the banner, never stored in clear. */
  generatedKey?: string;

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ChangeFeed) private readonly changes: ChangeFeed,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'api-key') this.forgetKey(change.keyId);
      if (change.kind === 'everything') this.confirmed.clear();
    });
  }

  private forgetKey(keyId: string): void {
    for (const [hash, entry] of this.confirmed) {
      if (entry.principal.id === keyId) this.confirmed.delete(hash);
    }
  }

  async onModuleInit(): Promise<void> {
    if (this.config.apiKey) {
      const seeded = await this.keys.ensure(this.describe('HOOKFLOW_API_KEY', this.config.apiKey));
      if (seeded.revokedAt) {
        this.logger.warn('HOOKFLOW_API_KEY was revoked through the API: it no longer signs in');
      }
      return;
    }
    if ((await this.keys.count()) > 0) return;
    const key = newApiKey();
    await this.keys.ensure(this.describe('generated on first start', key));
    this.generatedKey = key;
    this.logger.warn('no API key existed: generated one (printed once on stdout, stored hashed)');
  }

  /** The caller a key stands for, or undefined when the key is unknown or revoked. */
  async principalFor(key: string): Promise<Principal | undefined> {
    const hash = sha256Hex(key);
    const now = Date.now();
    const seen = this.confirmed.get(hash);
    if (seen !== undefined && now - seen.at < KEY_CACHE_TTL_MS) return seen.principal;
    this.confirmed.delete(hash);
    const found = await this.keys.findByHash(hash);
    if (!found || found.revokedAt) return undefined;
    if (!found.lastUsedAt || now - found.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
      await this.keys.touch(found.id, new Date(now));
    }
    const principal: Principal = {
      kind: 'api-key',
      id: found.id,
      name: found.name,
      scopes: expandScopes(found.scopes),
      ...(found.userId ? { userId: found.userId } : {}),
    };
    this.confirmed.set(hash, { at: now, principal });
    return principal;
  }

  /** A new key: the answer is the only time the key itself is ever shown. */
  async create(input: CreateKeyInput): Promise<ApiKeyView & { key: string }> {
    const key = newApiKey();
    const scopes = ALL_SCOPES.filter((scope) => input.scopes.includes(scope));
    const created = await this.keys.create({
      ...this.describe(input.name, key),
      scopes,
      userId: input.userId ?? null,
    });
    return { ...(await this.view(created)), key };
  }

  async list(): Promise<ApiKeyView[]> {
    const keys = await this.keys.list();
    return Promise.all(keys.map((key) => this.view(key)));
  }

  /** Revokes (idempotent); the key stops working in every process at once. 404 when unknown. */
  async revoke(id: string): Promise<ApiKeyView> {
    const revoked = await this.keys.revoke(id, new Date());
    if (!revoked) throw notFound('API key');
    this.changes.publish({ kind: 'api-key', keyId: id });
    return this.view(revoked);
  }

  private async view(key: ApiKeyEntity): Promise<ApiKeyView> {
    const owner = key.userId ? await this.users.findById(key.userId) : null;
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scopes: key.scopes,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: key.revokedAt,
      owner: owner ? { id: owner.id, email: owner.email, name: owner.name } : null,
    };
  }

  /** Seeded and generated keys are admin keys: they stand for the operator. */
  private describe(name: string, key: string) {
    return { name, prefix: key.slice(0, 8), hash: sha256Hex(key), scopes: ALL_SCOPES };
  }
}
