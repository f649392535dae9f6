import { createHash } from 'node:crypto';

/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;

/** The id stored with every ciphertext: the first 8 hex characters of sha256(key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Reads a key written as 64 hex characters or as base64 (standard or URL-safe) of 32 bytes.
 * Undefined when the text is neither; the caller names the source, never the value.
 */
export function parseKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

/**
 * The encryption keys of one installation: the current key encrypts every new write; older keys
 * (after a rotation) still decrypt what they wrote. Keys are looked up by their id.
 */
export class Keyring {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, older: readonly Buffer[] = []) {
    for (const key of [current, ...older]) {
      if (key.length !== KEY_BYTES) {
        throw new Error(`an encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
      }
    }
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, Buffer.from(current));
    for (const key of older) {
      const id = keyIdOf(key);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(key));
    }
  }

  get current(): { id: string; key: Buffer } {
    return { id: this.currentKeyId, key: this.keys.get(this.currentKeyId) as Buffer };
  }

  /** The key with this id, or undefined when it is not (or no longer) in the keyring. */
  get(keyId: string): Buffer | undefined {
    return this.keys.get(keyId);
  }

  /** Every key id, the current one first. */
  ids(): string[] {
    return [...this.keys.keys()];
  }
}
