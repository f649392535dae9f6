import { randomBytes } from 'node:crypto';
import { Keyring, keyIdOf } from './keyring';
import {
  decryptSecret,
  encryptSecret,
  SecretDecryptError,
  type EncryptedSecret,
} from './secret-box';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const secret = { token: 'xoxb-very-secret-token', nested: { list: [1, 'two'] } };

function failure(run: () => unknown): SecretDecryptError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretDecryptError) return error;
    throw error;
  }
  throw new Error('decryption succeeded');
}

/** Flips one bit of the stored bytes at `offset` (iv 0-11, tag 12-27, data 28-). */
function flipBit(record: EncryptedSecret, offset: number): EncryptedSecret {
  const bytes = Buffer.from(record.ciphertext, 'base64');
  bytes[offset] ^= 0x01;
  return { ...record, ciphertext: bytes.toString('base64') };
}

describe('encryptSecret / decryptSecret (AES-256-GCM)', () => {
  const keyring = new Keyring(keyA);

  it('round-trips a JSON object and records the key id', () => {
    const record = encryptSecret(keyring, secret, 'credential:1');
    expect(record.keyId).toBe(keyIdOf(keyA));
    expect(record.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(decryptSecret(keyring, record, 'credential:1')).toEqual(secret);
  });

  it('never stores the plaintext and uses a fresh 12-byte IV every time', () => {
    const first = encryptSecret(keyring, secret);
    const second = encryptSecret(keyring, secret);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    const bytes = Buffer.from(first.ciphertext, 'base64');
    expect(
      bytes.subarray(0, 12).equals(Buffer.from(second.ciphertext, 'base64').subarray(0, 12)),
    ).toBe(false);
    expect(bytes.toString('latin1')).not.toContain('very-secret');
    expect(first.ciphertext).not.toContain('very-secret');
    // iv + tag + the JSON's length
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength(JSON.stringify(secret)));
  });

  it('refuses tampered data, a tampered tag and a tampered IV', () => {
    const record = encryptSecret(keyring, secret);
    for (const offset of [0, 12, 27, 28, 40]) {
      expect(failure(() => decryptSecret(keyring, flipBit(record, offset))).reason).toBe(
        'authentication_failed',
      );
    }
  });

  it('refuses a truncated record as malformed', () => {
    const record = { keyId: keyring.currentKeyId, ciphertext: Buffer.alloc(20).toString('base64') };
    expect(failure(() => decryptSecret(keyring, record)).reason).toBe('malformed');
  });

  it('refuses to decrypt with the wrong key, even when the key id is forged', () => {
    const record = encryptSecret(keyring, secret);
    const other = new Keyring(keyB);
    expect(failure(() => decryptSecret(other, record)).reason).toBe('unknown_key');
    expect(
      failure(() => decryptSecret(other, { ...record, keyId: other.currentKeyId })).reason,
    ).toBe('authentication_failed');
  });

  it('binds the ciphertext to its context: copied to another record it does not decrypt', () => {
    const record = encryptSecret(keyring, secret, 'credential:a:http-bearer');
    expect(failure(() => decryptSecret(keyring, record, 'credential:b:http-bearer')).reason).toBe(
      'authentication_failed',
    );
  });

  it('says which key is missing without quoting any secret', () => {
    const record = encryptSecret(keyring, secret);
    const error = failure(() => decryptSecret(new Keyring(keyB), record));
    expect(error.message).toContain(record.keyId);
    expect(error.message).toContain('HOOKFLOW_ENCRYPTION_KEYS_OLD');
    expect(error.message).not.toContain('very-secret');
  });

  describe('rotation', () => {
    it('decrypts with an older key and writes with the current one', () => {
      const before = encryptSecret(new Keyring(keyA), secret);
      const rotated = new Keyring(keyB, [keyA]);
      expect(decryptSecret(rotated, before)).toEqual(secret);
      const after = encryptSecret(rotated, secret);
      expect(after.keyId).toBe(keyIdOf(keyB));
      expect(rotated.ids()).toEqual([keyIdOf(keyB), keyIdOf(keyA)]);
      // Once the old key is dropped, what it wrote is unreadable, what the new key wrote is fine.
      const dropped = new Keyring(keyB);
      expect(failure(() => decryptSecret(dropped, before)).reason).toBe('unknown_key');
      expect(decryptSecret(dropped, after)).toEqual(secret);
    });
  });
});
