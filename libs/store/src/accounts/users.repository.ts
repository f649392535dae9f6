import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database';
import { UserEntity } from '../entities/user.entity';
import { insertRows } from '../rows';
import { isUniqueViolation } from '../unique-violation';

@Injectable()
export class UsersRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  count(): Promise<number> {
    return this.database.manager.count(UserEntity);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.database.manager.findOneBy(UserEntity, { email });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.database.manager.findOneBy(UserEntity, { id });
  }

  list(): Promise<UserEntity[]> {
    return this.database.manager.find(UserEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Inserts a user; false when the email (or the setup slot) is taken. */
  async insert(user: UserEntity): Promise<boolean> {
    try {
      await insertRows(this.database.manager, UserEntity, user);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
