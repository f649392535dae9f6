import { Module } from '@nestjs/common';
import { CredentialsModule } from '@hookflow/store';
import { CredentialsController } from './credentials.controller';

/** The management API of the credential store (`/api/credentials`). */
@Module({ imports: [CredentialsModule], controllers: [CredentialsController] })
export class CredentialsApiModule {}
