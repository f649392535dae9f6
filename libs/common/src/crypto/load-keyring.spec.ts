import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { keyIdOf } from './keyring';
import { KEY_FILE_NAME, loadKeyring } from './load-keyring';

describe('loadKeyring', () => {
  let dir: string;
  let sqlitePath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-keyring-'));
    sqlitePath = join(dir, 'data', 'hookflow.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('embedded without a key: generates <data dir>/encryption.key (0600) once, then reuses it', () => {
    const config = loadConfig({ HOOKFLOW_SQLITE_PATH: sqlitePath });
    const first = loadKeyring(config);
    const keyFile = join(dir, 'data', KEY_FILE_NAME);
    expect(first).toMatchObject({ source: 'generated-key-file', keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const second = loadKeyring(config);
    expect(second.source).toBe('key-file');
    expect(second.keyring.currentKeyId).toBe(first.keyring.currentKeyId);
  });

  it('uses HOOKFLOW_ENCRYPTION_KEY when set and writes no key file', () => {
    const key = randomBytes(32);
    const loaded = loadKeyring(
      loadConfig({
        HOOKFLOW_SQLITE_PATH: sqlitePath,
        HOOKFLOW_ENCRYPTION_KEY: key.toString('hex'),
      }),
    );
    expect(loaded.source).toBe('environment');
    expect(loaded.keyring.currentKeyId).toBe(keyIdOf(key));
    expect(existsSync(join(dir, 'data', KEY_FILE_NAME))).toBe(false);
  });

  it('keeps a generated key readable after switching to HOOKFLOW_ENCRYPTION_KEY', () => {
    const generated = loadKeyring(loadConfig({ HOOKFLOW_SQLITE_PATH: sqlitePath }));
    const key = randomBytes(32);
    const loaded = loadKeyring(
      loadConfig({
        HOOKFLOW_SQLITE_PATH: sqlitePath,
        HOOKFLOW_ENCRYPTION_KEY: key.toString('base64'),
      }),
    );
    expect(loaded.keyring.ids()).toEqual([keyIdOf(key), generated.keyring.currentKeyId]);
  });

  it('adds HOOKFLOW_ENCRYPTION_KEYS_OLD as decrypt-only keys, with or without their id', () => {
    const [current, old1, old2] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const loaded = loadKeyring(
      loadConfig({
        DATABASE_URL: 'postgres://db/hookflow',
        HOOKFLOW_ENCRYPTION_KEY: current.toString('base64'),
        HOOKFLOW_ENCRYPTION_KEYS_OLD: `${keyIdOf(old1)}:${old1.toString('hex')}, ${old2.toString('base64')}`,
      }),
    );
    expect(loaded.keyring.currentKeyId).toBe(keyIdOf(current));
    expect(loaded.keyring.ids()).toEqual([keyIdOf(current), keyIdOf(old1), keyIdOf(old2)]);
  });

  it('PostgreSQL without a key: fails fast with a ConfigError that says what to set', () => {
    const attempt = () => loadKeyring(loadConfig({ DATABASE_URL: 'postgres://db/hookflow' }));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /HOOKFLOW_ENCRYPTION_KEY is not set.*PostgreSQL.*openssl rand -base64 32/s,
    );
  });

  it('in-memory SQLite: an ephemeral key, no file', () => {
    const loaded = loadKeyring(loadConfig({ HOOKFLOW_SQLITE_PATH: ':memory:' }));
    expect(loaded.source).toBe('ephemeral');
    expect(loaded.keyFile).toBeUndefined();
  });
});

describe('loadConfig: encryption variables', () => {
  const secretLooking = 'hunter2-hunter2-hunter2-hunter2';

  it('reads HOOKFLOW_ENCRYPTION_KEY (hex or base64) and the old keys list', () => {
    const key = randomBytes(32).toString('hex');
    const old = randomBytes(32).toString('base64');
    const config = loadConfig({
      HOOKFLOW_ENCRYPTION_KEY: key,
      HOOKFLOW_ENCRYPTION_KEYS_OLD: ` ${old} ,`,
    });
    expect(config.encryptionKey).toBe(key);
    expect(config.encryptionKeysOld).toEqual([old]);
    expect(loadConfig({}).encryptionKey).toBeUndefined();
  });

  it.each([
    ['HOOKFLOW_ENCRYPTION_KEY', secretLooking],
    ['HOOKFLOW_ENCRYPTION_KEY', randomBytes(16).toString('hex')],
    ['HOOKFLOW_ENCRYPTION_KEYS_OLD', `${randomBytes(32).toString('hex')},${secretLooking}`],
    ['HOOKFLOW_ENCRYPTION_KEYS_OLD', `deadbeef:${randomBytes(32).toString('hex')}`],
  ])('refuses a bad %s, naming it and never echoing the value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(name);
    expect(message).toContain('(value hidden)');
    for (const part of value.split(/[,:]/)) {
      if (part.length > 8) expect(message).not.toContain(part);
    }
  });
});
