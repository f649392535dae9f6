import { Inject, Injectable } from '@nestjs/common';
import { AppError, newId } from '@hookflow/common';
import { UsersRepository, type UserEntity, type UserRole } from '@hookflow/store';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../auth/password';
import type { Principal, Scope } from '../auth/principal';

/** What the API answers about a user: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  password: string;
  name?: string;
}

export const scopesOfRole = (role: UserRole): Scope[] =>
  role === 'owner' ? ['read', 'write', 'admin'] : ['read', 'write'];

export const presentUser = (user: UserEntity): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  createdAt: user.createdAt,
});

export const userPrincipal = (user: UserEntity): Principal => ({
  kind: 'user',
  id: user.id,
  name: user.email,
  scopes: scopesOfRole(user.role),
  userId: user.id,
});

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Owners and members (the accounts that sign in to the editor). */
@Injectable()
export class UsersService {
  /** Once a user exists, setup is over for good: no need to ask the database again. */
  private setupDone = false;

  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  async setupNeeded(): Promise<boolean> {
    if (this.setupDone) return false;
    this.setupDone = (await this.users.count()) > 0;
    return !this.setupDone;
  }

  /** The first owner; 409 once any user exists (also when two setups race). */
  async setupOwner(input: NewUser): Promise<UserEntity> {
    const alreadyDone = new AppError(409, 'conflict', 'setup is done: an owner account exists');
    if (!(await this.setupNeeded())) throw alreadyDone;
    const owner = await this.build(input, 'owner');
    owner.setupSlot = 'first';
    if (!(await this.users.insert(owner))) throw alreadyDone;
    this.setupDone = true;
    return owner;
  }

  /** Another user (by an admin, or the CLI); 409 when the email is taken. */
  async create(input: NewUser & { role?: UserRole }): Promise<UserEntity> {
    const user = await this.build(input, input.role ?? 'member');
    if (!(await this.users.insert(user))) {
      throw new AppError(409, 'conflict', `a user with email ${user.email} exists`);
    }
    this.setupDone = true;
    return user;
  }

  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(presentUser);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** The user when the password matches; the same work is done when the email is unknown. */
  async verify(email: string, password: string): Promise<UserEntity | undefined> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    return user && matches ? user : undefined;
  }

  private async build(input: NewUser, role: UserRole): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    return {
      id: newId(),
      email,
      name: input.name?.trim() || email.split('@')[0],
      role,
      passwordHash: await hashPassword(input.password),
      setupSlot: null,
      createdAt: new Date(),
    };
  }
}
