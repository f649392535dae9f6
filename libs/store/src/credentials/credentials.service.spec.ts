import { randomBytes } from 'node:crypto';
import { AppError, Keyring } from '@hookflow/common';
import { Database } from '../database';
import { CredentialEntity } from '../entities/credential.entity';
import { CredentialCache } from './credential-cache';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService, CredentialUnreadableError } from './credentials.service';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe('CredentialsService (in-memory SQLite)', () => {
  let database: Database;
  let repository: CredentialsRepository;
  let clock: number;
  const service = (keyring = new Keyring(keyA)) =>
    new CredentialsService(repository, keyring, new CredentialCache(30_000, () => clock));

  beforeEach(async () => {
    database = await Database.open({ kind: 'sqlite', path: ':memory:' });
    repository = new CredentialsRepository(database);
    clock = 1_000_000;
  });
  afterEach(() => database.close());

  async function rowOf(name: string): Promise<CredentialEntity> {
    const row = await repository.findByName(name);
    if (!row) throw new Error(`no row ${name}`);
    return row;
  }

  it('stores only ciphertext and resolves the decrypted data by name', async () => {
    const credentials = service();
    const created = await credentials.create({
      name: 'api',
      type: 'http-bearer',
      data: { token: 'tok-123456' },
    });
    expect(created.fields).toEqual({ token: '••••' });
    expect((await rowOf('api')).ciphertext).not.toContain('tok-123456');
    expect(await credentials.resolve('api')).toEqual({
      type: 'http-bearer',
      data: { token: 'tok-123456' },
    });
    expect(await credentials.resolve('nope')).toBeUndefined();
  });

  it('refuses bad data with paths and a taken name with 409', async () => {
    const credentials = service();
    const bad = credentials.create({ name: 'x', type: 'http-basic', data: { username: 'u' } });
    await expect(bad).rejects.toMatchObject({
      code: 'invalid_credential',
      details: [{ path: '/data/password', message: 'is required' }],
    });
    await credentials.create({ name: 'x', type: 'slack-bot', data: { token: 'a' } });
    const duplicate = credentials.create({ name: 'x', type: 'slack-bot', data: { token: 'b' } });
    await expect(duplicate).rejects.toBeInstanceOf(AppError);
    await expect(duplicate).rejects.toMatchObject({ code: 'conflict' });
  });

  it('caches for the TTL, and forgets on update and delete at once', async () => {
    const credentials = service();
    const { id } = await credentials.create({
      name: 'c',
      type: 'slack-bot',
      data: { token: 'v1' },
    });
    expect((await credentials.resolve('c'))?.data).toEqual({ token: 'v1' });
    // Changed behind the service's back: the cached value is served until the TTL ends.
    await repository.replaceSecret({
      id,
      secret: { keyId: 'ffffffff', ciphertext: 'AAAA' },
      updatedAt: new Date(),
    });
    expect((await credentials.resolve('c'))?.data).toEqual({ token: 'v1' });
    clock += 30_001;
    await expect(credentials.resolve('c')).rejects.toBeInstanceOf(CredentialUnreadableError);

    await credentials.replaceData(id, { token: 'v2' });
    expect((await credentials.resolve('c'))?.data).toEqual({ token: 'v2' });
    await credentials.replaceData(id, { token: 'v3' });
    expect((await credentials.resolve('c'))?.data).toEqual({ token: 'v3' });
    await credentials.delete(id);
    expect(await credentials.resolve('c')).toBeUndefined();
  });

  it('hands every caller its own copy of the cached data', async () => {
    const credentials = service();
    await credentials.create({ name: 'h', type: 'hmac-secret', data: { secrets: ['a'] } });
    const first = await credentials.resolve('h');
    if (first?.type !== 'hmac-secret') throw new Error('wrong type');
    first.data.secrets.push('mutated');
    expect((await credentials.resolve('h'))?.data).toEqual({ secrets: ['a'] });
  });

  it('a ciphertext copied into another row does not decrypt there', async () => {
    const credentials = service();
    await credentials.create({ name: 'a', type: 'http-bearer', data: { token: 'A' } });
    await credentials.create({ name: 'b', type: 'http-bearer', data: { token: 'B' } });
    const a = await rowOf('a');
    const b = await rowOf('b');
    await repository.replaceSecret({ id: b.id, secret: a, updatedAt: new Date() });
    await expect(credentials.resolve('b')).rejects.toThrow(/cannot be read/);
    expect((await credentials.get(b.id)).readable).toBe(false);
  });

  it('rotation: reads rows under the old key, re-encrypts them with the current one', async () => {
    await service(new Keyring(keyA)).create({
      name: 'r',
      type: 'http-header',
      data: { name: 'X-Key', value: 'old-secret' },
    });
    const before = await rowOf('r');
    const rotated = service(new Keyring(keyB, [keyA]));
    expect((await rotated.resolve('r'))?.data).toEqual({ name: 'X-Key', value: 'old-secret' });
    expect(await rotated.reencrypt()).toEqual({ rewritten: 1, unreadable: [] });
    const after = await rowOf('r');
    expect(after.keyId).toBe(new Keyring(keyB).currentKeyId);
    expect(after.ciphertext).not.toBe(before.ciphertext);
    expect(after.updatedAt.getTime()).toBe(before.updatedAt.getTime());
    // The old key can go now.
    expect((await service(new Keyring(keyB)).resolve('r'))?.data).toMatchObject({
      value: 'old-secret',
    });
    expect(await rotated.reencrypt()).toEqual({ rewritten: 0, unreadable: [] });
  });

  it('reports credentials no configured key can read, and lists them as unreadable', async () => {
    await service(new Keyring(keyA)).create({
      name: 'lost',
      type: 'slack-bot',
      data: { token: 't' },
    });
    const other = service(new Keyring(keyB));
    expect(await other.reencrypt()).toEqual({ rewritten: 0, unreadable: ['lost'] });
    const [listed] = await other.list();
    expect(listed).toMatchObject({ name: 'lost', readable: false, fields: {} });
  });
});
