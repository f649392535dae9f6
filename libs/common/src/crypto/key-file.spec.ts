import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFileError, loadOrCreateKeyFile } from './key-file';
import { parseKey } from './keyring';

describe('loadOrCreateKeyFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the key file with mode 0600 on first use, creating its directory', () => {
    const path = join(dir, 'nested', 'encryption.key');
    const first = loadOrCreateKeyFile(path);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parseKey(readFileSync(path, 'utf8'))?.equals(first.key)).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'nested'))).toEqual(['encryption.key']);
  });

  it('reuses the same key on every later start', () => {
    const path = join(dir, 'encryption.key');
    const first = loadOrCreateKeyFile(path);
    const second = loadOrCreateKeyFile(path);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.warning).toBeUndefined();
  });

  it('reads a key written by hand as base64', () => {
    const path = join(dir, 'encryption.key');
    const key = randomBytes(32);
    writeFileSync(path, key.toString('base64'), { mode: 0o600 });
    expect(loadOrCreateKeyFile(path).key.equals(key)).toBe(true);
  });

  it('warns when the file is readable by others', () => {
    const path = join(dir, 'encryption.key');
    loadOrCreateKeyFile(path);
    chmodSync(path, 0o644);
    expect(loadOrCreateKeyFile(path).warning).toMatch(/readable by other users.*chmod 600/);
  });

  it('refuses (and never overwrites) a file that does not hold a key', () => {
    const path = join(dir, 'encryption.key');
    writeFileSync(path, 'not a key', { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(path)).toThrow(KeyFileError);
    expect(readFileSync(path, 'utf8')).toBe('not a key');
  });
});
