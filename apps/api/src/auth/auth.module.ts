import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SessionsRepository, UsersRepository } from '@hookflow/store';
import { AccountsModule } from '../accounts/accounts.module';
import { SessionsService } from '../accounts/sessions.service';
import { UsersService } from '../accounts/users.service';
import { AuditModule } from '../audit/audit.module';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { Authenticator, LocalToken } from './authenticator';
import { SignInLimiter } from './sign-in-limiter';

const SERVICES = [
  UsersRepository,
  SessionsRepository,
  ApiKeysService,
  UsersService,
  SessionsService,
  SignInLimiter,
  LocalToken,
  Authenticator,
  ApiKeyGuard,
];

/**
 * Who may call the management API: API keys, users and sessions, the global scope guard, and
 * (imported from here so the app module stays as it was) the accounts routes and the audit log.
 */
@Global()
@Module({
  imports: [AccountsModule, AuditModule],
  providers: [...SERVICES, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: SERVICES,
})
export class AuthModule {}
