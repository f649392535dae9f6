import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { keyIdOf } from '@hookflow/common';
import { CredentialsService } from '@hookflow/store';
import { eachDatabase, type TestDatabase } from './support/databases';
import { startTestApp, type TestApp } from './support/test-app';

interface CredentialView {
  id: string;
  keyId: string;
  readable: boolean;
  fields: Record<string, unknown>;
}

/** Encryption keys across restarts: generation (embedded), fail-fast (PostgreSQL), rotation. */
eachDatabase((target) => {
  let database: TestDatabase;
  let hookflow: TestApp | undefined;

  beforeEach(async () => {
    database = await target.create();
  });
  afterEach(async () => {
    await hookflow?.close();
    hookflow = undefined;
    await database?.drop();
  });

  /** The test database with no encryption key (empty counts as unset; startTestApp sets one). */
  const withoutKey = (): Record<string, string> => ({
    ...database.env,
    HOOKFLOW_ENCRYPTION_KEY: '',
  });
  const restart = async (env: Record<string, string>) => {
    await hookflow?.close();
    hookflow = await startTestApp(env);
    return hookflow;
  };
  const view = async (app: TestApp, id: string) =>
    (await app.api<CredentialView>('GET', `/api/credentials/${id}`)).body;

  if (target.name === 'sqlite') {
    it('embedded without a key: generates encryption.key (0600) next to the database, reuses it', async () => {
      const app = await restart(withoutKey());
      const keyFile = join(dirname(database.env.HOOKFLOW_SQLITE_PATH), 'encryption.key');
      expect(existsSync(keyFile)).toBe(true);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const created = await app.api<CredentialView>('POST', '/api/credentials', {
        body: { name: 'kept', type: 'slack-bot', data: { token: 'xoxb-kept' } },
      });
      const modified = statSync(keyFile).mtimeMs;

      const again = await restart(withoutKey());
      expect(statSync(keyFile).mtimeMs).toBe(modified);
      expect(await view(again, created.body.id)).toMatchObject({
        keyId: created.body.keyId,
        readable: true,
      });
      expect(await again.app.get(CredentialsService).resolve('kept')).toEqual({
        type: 'slack-bot',
        data: { token: 'xoxb-kept' },
      });
    });
  } else {
    it('PostgreSQL without HOOKFLOW_ENCRYPTION_KEY: refuses to start, saying what to set', async () => {
      await expect(startTestApp(withoutKey())).rejects.toThrow(
        /HOOKFLOW_ENCRYPTION_KEY is not set.*PostgreSQL/s,
      );
    });
  }

  it('rotation: the old key still decrypts, the start re-encrypts with the new one', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const first = await restart({
      ...withoutKey(),
      HOOKFLOW_ENCRYPTION_KEY: oldKey.toString('hex'),
    });
    const created = await first.api<CredentialView>('POST', '/api/credentials', {
      body: { name: 'rotated', type: 'http-bearer', data: { token: 'rotate-me' } },
    });
    expect(created.body.keyId).toBe(keyIdOf(oldKey));

    // Only the new key: the credential is listed, but unreadable (and never a 500).
    const wrong = await restart({
      ...withoutKey(),
      HOOKFLOW_ENCRYPTION_KEY: newKey.toString('hex'),
    });
    expect(await view(wrong, created.body.id)).toMatchObject({ readable: false, fields: {} });
    await expect(wrong.app.get(CredentialsService).resolve('rotated')).rejects.toThrow(
      /cannot be read.*HOOKFLOW_ENCRYPTION_KEYS_OLD/,
    );

    const rotated = await restart({
      ...withoutKey(),
      HOOKFLOW_ENCRYPTION_KEY: newKey.toString('base64'),
      HOOKFLOW_ENCRYPTION_KEYS_OLD: `${keyIdOf(oldKey)}:${oldKey.toString('hex')}`,
    });
    expect(await view(rotated, created.body.id)).toMatchObject({
      keyId: keyIdOf(newKey),
      readable: true,
      fields: { token: '••••' },
    });

    // The old key can be dropped now.
    const done = await restart({
      ...withoutKey(),
      HOOKFLOW_ENCRYPTION_KEY: newKey.toString('hex'),
    });
    expect(await done.app.get(CredentialsService).resolve('rotated')).toEqual({
      type: 'http-bearer',
      data: { token: 'rotate-me' },
    });
  });
});
