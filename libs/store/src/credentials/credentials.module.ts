import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { HOOKFLOW_CONFIG, LOGGER, loadKeyring, type HookflowConfig } from '@hookflow/common';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService, ENCRYPTION_KEYRING } from './credentials.service';

/**
 * The credential store for any process that reads or writes credentials (API, workers). Builds the
 * keyring at start: a bad or missing key fails the start with a ConfigError naming the variable.
 * Needs StoreModule (the Database) in the same application.
 */
@Global()
@Module({
  providers: [
    {
      provide: ENCRYPTION_KEYRING,
      inject: [HOOKFLOW_CONFIG, LOGGER],
      useFactory: (config: HookflowConfig, logger: Logger) => {
        const loaded = loadKeyring(config);
        for (const warning of loaded.warnings) logger.warn(warning);
        if (loaded.source === 'generated-key-file') {
          logger.warn(
            { keyFile: loaded.keyFile, keyId: loaded.keyring.currentKeyId },
            'generated the credential encryption key; back it up with the database: ' +
              'credentials cannot be decrypted without it',
          );
        } else if (loaded.source === 'ephemeral') {
          logger.warn('in-memory database: credentials are encrypted with a key that dies with it');
        }
        return loaded.keyring;
      },
    },
    CredentialsRepository,
    CredentialsService,
  ],
  exports: [ENCRYPTION_KEYRING, CredentialsRepository, CredentialsService],
})
export class CredentialsModule implements OnApplicationBootstrap {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** After a key rotation, moves every credential to the current key (idempotent, race-safe). */
  async onApplicationBootstrap(): Promise<void> {
    const { rewritten, unreadable } = await this.credentials.reencrypt();
    if (rewritten > 0) {
      this.logger.info({ rewritten }, 're-encrypted credentials with the current encryption key');
    }
    if (unreadable.length > 0) {
      this.logger.error(
        { credentials: unreadable },
        'credentials encrypted with a key that is not configured: add it to ' +
          'HOOKFLOW_ENCRYPTION_KEYS_OLD, or set them again',
      );
    }
  }
}
