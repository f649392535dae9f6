import { createHash, randomBytes } from 'node:crypto';
import { Keyring, keyIdOf, parseKey } from './keyring';

describe('parseKey', () => {
  const key = randomBytes(32);

  it('reads 64 hex characters, base64 and base64url of 32 bytes, ignoring surrounding blanks', () => {
    expect(parseKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseKey(key.toString('hex').toUpperCase())?.equals(key)).toBe(true);
    expect(parseKey(` ${key.toString('base64')}\n`)?.equals(key)).toBe(true);
    expect(parseKey(key.toString('base64url'))?.equals(key)).toBe(true);
  });

  it.each([
    ['too short hex', randomBytes(16).toString('hex')],
    ['too long base64', randomBytes(48).toString('base64')],
    ['16-byte base64', randomBytes(16).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseKey(text)).toBeUndefined();
  });
});

describe('Keyring', () => {
  it('names keys by the first 8 hex characters of sha256(key)', () => {
    const key = randomBytes(32);
    expect(keyIdOf(key)).toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
    expect(new Keyring(key).currentKeyId).toBe(keyIdOf(key));
  });

  it('finds older keys by id and ignores a repeated key', () => {
    const [current, old] = [randomBytes(32), randomBytes(32)];
    const keyring = new Keyring(current, [old, current, old]);
    expect(keyring.ids()).toEqual([keyIdOf(current), keyIdOf(old)]);
    expect(keyring.get(keyIdOf(old))?.equals(old)).toBe(true);
    expect(keyring.get('00000000')).toBeUndefined();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new Keyring(randomBytes(16))).toThrow(/32 bytes/);
    expect(() => new Keyring(randomBytes(32), [randomBytes(31)])).toThrow(/32 bytes/);
  });
});
