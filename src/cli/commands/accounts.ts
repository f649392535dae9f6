import { readFile } from 'node:fs/promises';
import { failure } from '../api-client';
import { CliError, UsageError } from '../cli-error';
import { GLOBAL_USAGE, idArgument, stringOption, type Command } from '../command';
import { emit, shortTime, table } from '../output';

const SCOPES = ['read', 'write', 'admin'];

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

const CREATE_USAGE = `usage: hookflow apikey create --name <name> [--scopes read,write,admin]

Creates an API key and prints it once (only its hash is stored). Default scopes: read,write.

${GLOBAL_USAGE}
`;

export const apikeyCreate: Command = {
  name: 'apikey create',
  summary: 'a new API key with scopes (printed once)',
  usage: CREATE_USAGE,
  options: { name: { type: 'string' }, scopes: { type: 'string' } },
  async run({ out, api }, args) {
    const name = stringOption(args, 'name');
    if (!name) throw new UsageError('--name is required', CREATE_USAGE);
    const scopes = (stringOption(args, 'scopes') ?? 'read,write')
      .split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope.length > 0);
    const unknown = scopes.filter((scope) => !SCOPES.includes(scope));
    if (scopes.length === 0 || unknown.length > 0) {
      throw new UsageError(
        `--scopes takes ${SCOPES.join(', ')}; not ${unknown.join(', ')}`,
        CREATE_USAGE,
      );
    }
    const client = await api();
    const answer = await client.call('POST', '/api/keys', { name, scopes });
    if (answer.status !== 201) throw failure(answer, 'cannot create the key');
    const key = answer.body as KeyView & { key: string };
    emit(out, key, () =>
      [
        key.key,
        '',
        `API key "${key.name}" (${key.id}), scopes ${key.scopes.join(', ')}.`,
        'Shown only this once: store it now.',
      ].join('\n'),
    );
  },
};

const LIST_USAGE = `usage: hookflow apikey list\n\n${GLOBAL_USAGE}\n`;

export const apikeyList: Command = {
  name: 'apikey list',
  summary: 'API keys (never the keys themselves)',
  usage: LIST_USAGE,
  async run({ out, api }) {
    const client = await api();
    const answer = await client.call('GET', '/api/keys');
    if (answer.status !== 200) throw failure(answer, 'cannot list keys');
    const page = answer.body as { items: KeyView[] };
    emit(out, page, () =>
      table(
        ['ID', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'STATUS', 'NAME'],
        page.items.map((key) => [
          key.id,
          key.prefix,
          key.scopes.join(','),
          shortTime(key.createdAt),
          shortTime(key.lastUsedAt),
          key.revokedAt ? `revoked ${shortTime(key.revokedAt)}` : 'active',
          key.name,
        ]),
      ),
    );
  },
};

const REVOKE_USAGE = `usage: hookflow apikey revoke <key id>\n\n${GLOBAL_USAGE}\n`;

export const apikeyRevoke: Command = {
  name: 'apikey revoke',
  summary: 'refuse a key from now on',
  usage: REVOKE_USAGE,
  positionals: { required: ['<key id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'key', REVOKE_USAGE);
    const client = await api();
    const answer = await client.call('DELETE', `/api/keys/${id}`);
    if (answer.status !== 204 && answer.status !== 200)
      throw failure(answer, `cannot revoke key ${id}`);
    emit(out, { id, revoked: true }, () => `revoked key ${id}`);
  },
};

const OWNER_USAGE = `usage: hookflow owner create --email <email> [--name <name>] (--password-file <file> | --password-stdin)

Creates the owner account (once, before anyone signs in to the editor). The password is read
from a file or stdin, never from the command line (it would show in the process list).

${GLOBAL_USAGE}
`;

async function readPassword(file: string | undefined, stdin: boolean): Promise<string> {
  if (file !== undefined) {
    try {
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch {
      throw new CliError(`cannot read the password from ${file}`);
    }
  }
  if (!stdin) throw new UsageError('give --password-file <file> or --password-stdin', OWNER_USAGE);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export const ownerCreate: Command = {
  name: 'owner create',
  summary: 'the owner account (first user)',
  usage: OWNER_USAGE,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    'password-file': { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  async run({ out, api }, args) {
    const email = stringOption(args, 'email');
    if (!email) throw new UsageError('--email is required', OWNER_USAGE);
    const password = await readPassword(
      stringOption(args, 'password-file'),
      args.values['password-stdin'] === true,
    );
    const name = stringOption(args, 'name');
    const client = await api();
    const answer = await client.call('POST', '/api/setup', {
      email,
      password,
      ...(name ? { name } : {}),
    });
    if (answer.status !== 201 && answer.status !== 200) {
      throw failure(answer, 'cannot create the owner');
    }
    const user = answer.body as { id: string; email: string };
    emit(out, user, () => `created the owner ${user.email} (${user.id}); sign in to the editor`);
  },
};
