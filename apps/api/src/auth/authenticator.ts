import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { SessionsService } from '../accounts/sessions.service';
import { ApiKeysService } from './api-keys.service';
import type { Principal } from './principal';
import { isSameOriginChange, sessionTokenOf } from './session-cookie';
import { scopeForMethod } from './scopes';

/** The CLI's in-process calls (createApp's `localToken`): never stored, all scopes. */
export const LOCAL_PRINCIPAL: Principal = {
  kind: 'local',
  id: 'local',
  name: 'cli',
  scopes: ['read', 'write', 'admin'],
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Set by createApp before the app serves a request. */
@Injectable()
export class LocalToken {
  private hash?: Buffer;

  set(token: string | undefined): void {
    this.hash = token ? digest(token) : undefined;
  }

  matches(token: string): boolean {
    return this.hash !== undefined && timingSafeEqual(digest(token), this.hash);
  }
}

/**
 * Who is calling: `Authorization: Bearer <api key>` (or the CLI's local token), else the session
 * cookie. Throws 401 for credentials that do not check out and 403 for a cookie-borne change
 * without the CSRF header; undefined when the request carries no credentials at all.
 */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(ApiKeysService) private readonly keys: ApiKeysService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LocalToken) private readonly localToken: LocalToken,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const header = request.headers.authorization;
    if (header) return this.bearer(header);
    const session = sessionTokenOf(request);
    if (!session) return undefined;
    const principal = await this.sessions.principalFor(session);
    if (!principal) {
      throw new AppError(
        401,
        'unauthorized',
        'the session expired or was signed out: sign in again',
      );
    }
    if (scopeForMethod(request.method) !== 'read' && !isSameOriginChange(request, this.config)) {
      throw new AppError(
        403,
        'forbidden',
        'a change made with a session cookie must send the X-Hookflow-CSRF header',
      );
    }
    return principal;
  }

  /** The key from `Bearer <key>` or from Basic with the key as password (browser prompts). */
  async keyPrincipal(key: string): Promise<Principal | undefined> {
    if (this.localToken.matches(key)) return LOCAL_PRINCIPAL;
    return this.keys.principalFor(key);
  }

  private async bearer(header: string): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new AppError(401, 'unauthorized', 'Authorization header must be "Bearer <api key>"');
    }
    const principal = await this.keyPrincipal(match[1]);
    if (!principal)
      throw new AppError(401, 'unauthorized', 'API key is not valid (or was revoked)');
    return principal;
  }
}
