import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ChangeFeed, newId, sha256Hex } from '@hookflow/common';
import { SessionsRepository, type UserEntity } from '@hookflow/store';
import type { Principal } from '../auth/principal';
import { userPrincipal, UsersService } from './users.service';

/** A browser stays signed in this long after signing in (then signs in again). */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
/** Like API keys: a sign-out reaches every process at once; this covers a lost message. */
const SESSION_CACHE_TTL_MS = 5_000;

@Injectable()
export class SessionsService {
  private readonly confirmed = new Map<string, { at: number; principal: Principal }>();

  constructor(
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(ChangeFeed) private readonly changes: ChangeFeed,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'session') this.confirmed.delete(change.tokenHash);
      if (change.kind === 'everything') this.confirmed.clear();
    });
  }

  /** Starts a session; the token goes in the cookie, only its hash in the database. */
  async create(user: UserEntity): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.sessions.deleteExpired(now);
    await this.sessions.insert({
      id: newId(),
      tokenHash: sha256Hex(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /** The signed-in user of a session token, or undefined (unknown, expired, signed out). */
  async principalFor(token: string): Promise<Principal | undefined> {
    const hash = sha256Hex(token);
    const now = Date.now();
    const seen = this.confirmed.get(hash);
    if (seen !== undefined && now - seen.at < SESSION_CACHE_TTL_MS) return seen.principal;
    this.confirmed.delete(hash);
    const session = await this.sessions.findByTokenHash(hash);
    if (!session || session.expiresAt.getTime() <= now) return undefined;
    const user = await this.users.findById(session.userId);
    if (!user) return undefined;
    const principal = userPrincipal(user);
    this.confirmed.set(hash, { at: now, principal });
    return principal;
  }

  async destroy(token: string): Promise<void> {
    const hash = sha256Hex(token);
    await this.sessions.deleteByTokenHash(hash);
    this.changes.publish({ kind: 'session', tokenHash: hash });
  }
}
