import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A JSON object as stored: never the plaintext, only what decrypts it with the right key. */
export interface EncryptedSecret {
  /** Which key of the keyring encrypted it (first 8 hex characters of sha256(key)). */
  keyId: string;
  /** base64 of iv (12 bytes) | GCM tag (16 bytes) | ciphertext. */
  ciphertext: string;
}

export type SecretObject = Record<string, unknown>;

export type DecryptFailure = 'unknown_key' | 'malformed' | 'authentication_failed';

/** Decryption refused: the record was tampered with, belongs elsewhere, or its key is gone. */
export class SecretDecryptError extends Error {
  constructor(
    readonly reason: DecryptFailure,
    readonly keyId: string,
  ) {
    super(
      reason === 'unknown_key'
        ? `the secret was encrypted with key ${keyId}, which is not in the keyring ` +
            '(set it in HOOKFLOW_ENCRYPTION_KEYS_OLD after a rotation)'
        : reason === 'malformed'
          ? 'the stored secret is not a valid ciphertext'
          : 'the stored secret does not authenticate (wrong key, tampered data or wrong record)',
    );
    this.name = 'SecretDecryptError';
  }
}

/**
 * Encrypts a JSON object with AES-256-GCM under the keyring's current key and a fresh random IV.
 * `context` (e.g. the record id) is authenticated but not stored: a ciphertext copied to another
 * record does not decrypt there.
 */
export function encryptSecret(keyring: Keyring, data: SecretObject, context = ''): EncryptedSecret {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return {
    keyId: id,
    ciphertext: Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64'),
  };
}

/** Decrypts what encryptSecret wrote, with the key named by `keyId`; throws SecretDecryptError. */
export function decryptSecret(
  keyring: Keyring,
  record: EncryptedSecret,
  context = '',
): SecretObject {
  const key = keyring.get(record.keyId);
  if (!key) throw new SecretDecryptError('unknown_key', record.keyId);
  const bytes = Buffer.from(record.ciphertext, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptError('malformed', record.keyId);
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  let plaintext: string;
  try {
    plaintext = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SecretDecryptError('authentication_failed', record.keyId);
  }
  const parsed: unknown = JSON.parse(plaintext);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretDecryptError('malformed', record.keyId);
  }
  return parsed as SecretObject;
}
