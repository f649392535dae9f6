import { Module } from '@nestjs/common';
import { KeysController } from './keys.controller';
import { SessionController } from './session.controller';
import { UsersController } from './users.controller';

/** Setup, sessions, users and API keys over HTTP (the services live in the global AuthModule). */
@Module({ controllers: [SessionController, UsersController, KeysController] })
export class AccountsModule {}
