import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  HOOKFLOW_CONFIG,
  LOGGER,
  newApiKey,
  sha256Hex,
  type HookflowConfig,
} from '@hookflow/common';
import { ApiKeysRepository } from '@hookflow/store';
import type { Principal } from './principal';

const CACHE_TTL_MS = 60_000;

@Injectable()
export class ApiKeysService implements OnModuleInit {
  /** Key hash -> time it was last confirmed, so authenticated requests skip the database. */
  private readonly confirmed = new Map<string, { at: number; principal: Principal }>();
  /** A key generated on this start; shown once in the banner, never stored in clear. */
  generatedKey?: string;

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.apiKey) {
      await this.keys.ensure(this.describe('HOOKFLOW_API_KEY', this.config.apiKey));
      return;
    }
    if ((await this.keys.count()) > 0) return;
    const key = newApiKey();
    await this.keys.ensure(this.describe('generated on first start', key));
    this.generatedKey = key;
    this.logger.warn('no API key existed: generated one (printed once on stdout, stored hashed)');
  }

  async isValid(key: string): Promise<boolean> {
    return (await this.principalFor(key)) !== undefined;
  }

  /** The caller a key stands for, or undefined when the key is not known. */
  async principalFor(key: string): Promise<Principal | undefined> {
    const hash = sha256Hex(key);
    const seen = this.confirmed.get(hash);
    if (seen !== undefined && Date.now() - seen.at < CACHE_TTL_MS) return seen.principal;
    const found = await this.keys.findByHash(hash);
    if (!found) return undefined;
    const principal: Principal = {
      kind: 'api-key',
      id: found.id,
      name: found.name,
      scopes: ['read', 'write', 'admin'],
    };
    this.confirmed.set(hash, { at: Date.now(), principal });
    return principal;
  }

  private describe(name: string, key: string) {
    return { name, prefix: key.slice(0, 8), hash: sha256Hex(key) };
  }
}
