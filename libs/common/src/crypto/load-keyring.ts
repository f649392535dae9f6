import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, type DatabaseConfig, type HookflowConfig } from '../config';
import { loadOrCreateKeyFile } from './key-file';
import { KEY_BYTES, Keyring, keyIdOf, parseKey } from './keyring';
import { parseOldKeys } from './encryption-config';

export const KEY_FILE_NAME = 'encryption.key';

export type KeySource =
  /** HOOKFLOW_ENCRYPTION_KEY. */
  | 'environment'
  /** `<data dir>/encryption.key`, written on an earlier start. */
  | 'key-file'
  /** `<data dir>/encryption.key`, written on this start. */
  | 'generated-key-file'
  /** In-memory SQLite: a random key that lives as long as the database does. */
  | 'ephemeral';

export interface LoadedKeyring {
  keyring: Keyring;
  source: KeySource;
  keyFile?: string;
  /** Things an operator should hear about (a key file readable by others). */
  warnings: string[];
}

/** Where embedded mode keeps its generated key: next to the SQLite file. */
export function keyFilePath(database: DatabaseConfig): string | undefined {
  if (database.kind !== 'sqlite' || database.path === ':memory:') return undefined;
  return join(dirname(database.path), KEY_FILE_NAME);
}

export const MISSING_POSTGRES_KEY =
  'HOOKFLOW_ENCRYPTION_KEY is not set: with PostgreSQL (DATABASE_URL) every API and worker ' +
  'process must share one key, so none is generated. Create one with `openssl rand -base64 32`, ' +
  'keep it safe (credentials cannot be decrypted without it) and set it in every process.';

type KeyConfig = Pick<HookflowConfig, 'database' | 'encryptionKey' | 'encryptionKeysOld'>;

/**
 * The keyring credentials are encrypted with, from the configuration:
 * - HOOKFLOW_ENCRYPTION_KEY when set (plus HOOKFLOW_ENCRYPTION_KEYS_OLD, and a leftover embedded
 *   key file, so moving from the generated key to an explicit one loses nothing);
 * - else on SQLite, `<data dir>/encryption.key`, generated on the first start;
 * - else (PostgreSQL) a ConfigError: processes cannot agree on a generated key.
 */
export function loadKeyring(config: KeyConfig): LoadedKeyring {
  const old = parseOldKeys(config.encryptionKeysOld?.join(','));
  if (old.problems.length > 0) throw new ConfigError(old.problems);
  const warnings: string[] = [];
  const path = keyFilePath(config.database);
  if (config.encryptionKey !== undefined) {
    const key = parseKey(config.encryptionKey);
    if (!key) {
      throw new ConfigError([
        'HOOKFLOW_ENCRYPTION_KEY=(value hidden): must be 32 bytes as 64 hex characters or base64',
      ]);
    }
    const older = [...old.keys];
    if (path && existsSync(path)) {
      const file = loadOrCreateKeyFile(path);
      if (keyIdOf(file.key) !== keyIdOf(key)) older.push(file.key);
    }
    return { keyring: new Keyring(key, older), source: 'environment', warnings };
  }
  if (config.database.kind === 'postgres') throw new ConfigError([MISSING_POSTGRES_KEY]);
  if (!path) {
    return {
      keyring: new Keyring(randomBytes(KEY_BYTES), old.keys),
      source: 'ephemeral',
      warnings,
    };
  }
  const file = loadOrCreateKeyFile(path);
  if (file.warning) warnings.push(file.warning);
  return {
    keyring: new Keyring(file.key, old.keys),
    source: file.created ? 'generated-key-file' : 'key-file',
    keyFile: path,
    warnings,
  };
}
