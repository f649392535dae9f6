import { Inject, Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Database } from '../database';
import { SessionEntity } from '../entities/session.entity';
import { insertRows } from '../rows';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  async insert(session: SessionEntity): Promise<void> {
    await insertRows(this.database.manager, SessionEntity, session);
  }

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.database.manager.findOneBy(SessionEntity, { tokenHash });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.database.manager.delete(SessionEntity, { tokenHash });
  }

  /** Removes expired sessions; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.database.manager.delete(SessionEntity, { expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
