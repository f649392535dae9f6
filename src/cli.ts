#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError } from '@hookflow/common';
import { LocalApiClient, RemoteApiClient, type ApiClient } from './cli/api-client';
import { CliError, EXIT, UsageError } from './cli/cli-error';
import { parseCommandArgs, stringOption, type Command } from './cli/command';
import { COMMANDS } from './cli/commands';
import { createOutput } from './cli/output';

const SERVER_COMMANDS: Array<[string, string]> = [
  ['start', 'the server: API, hooks and (embedded mode) the runner'],
  ['worker', 'a worker of the scale-out mode (needs REDIS_URL)'],
  ['migrate', 'apply pending database migrations and exit'],
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  const line = ([name, summary]: [string, string]) => `  ${name.padEnd(width)} ${summary}`;
  return `usage: hookflow <command> [options]

${SERVER_COMMANDS.map(line).join('\n')}

${COMMANDS.map((command) => line([command.name, command.summary])).join('\n')}

Commands work on the local database (DATABASE_URL / HOOKFLOW_SQLITE_PATH) or, with
--server <url> and --api-key <key> (or HOOKFLOW_SERVER, HOOKFLOW_API_KEY), on a running server.
--json prints machine-readable output; "hookflow <command> --help" shows a command's options.
Exit codes: 0 done, 1 failed, 2 bad arguments, 3 not found, 4 conflict.
`;
}

async function migrate(): Promise<void> {
  const { loadConfig } = await import('@hookflow/common');
  const { Database } = await import('@hookflow/store');
  const config = loadConfig(process.env);
  const database = await Database.open(config.database);
  const pending = await database.migrate();
  await database.close();
  process.stdout.write(
    `hookflow: database ${config.database.kind} is up to date${pending.length ? ` (applied ${pending.join(', ')})` : ''}\n`,
  );
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const [group, verb, ...rest] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === `${group} ${verb}`);
  return command ? { command, rest } : undefined;
}

async function runCommand(command: Command, argv: string[]): Promise<void> {
  const args = parseCommandArgs(command, argv);
  if (args.values.help === true) {
    process.stdout.write(command.usage);
    return;
  }
  const out = createOutput(args.values.json === true);
  const server = stringOption(args, 'server') ?? process.env.HOOKFLOW_SERVER;
  const apiKey = stringOption(args, 'api-key') ?? process.env.HOOKFLOW_API_KEY;
  if (server !== undefined && !/^https?:\/\/\S+$/.test(server)) {
    throw new UsageError(`--server must be an http(s) URL, not "${server}"`, command.usage);
  }
  let client: ApiClient | undefined;
  const api = async (): Promise<ApiClient> => {
    client ??= server
      ? new RemoteApiClient(server, apiKey)
      : await LocalApiClient.open(process.env);
    return client;
  };
  try {
    await command.run({ out, api }, args);
  } finally {
    await client?.close();
  }
}

/** The `hookflow` command: server entry points plus management commands for people and scripts. */
async function cli(argv: string[]): Promise<void> {
  const [first] = argv;
  switch (first) {
    case 'start': {
      const { runServer } = await import('./main');
      return runServer();
    }
    case 'worker': {
      const { runWorker } = await import('@hookflow/worker');
      return runWorker();
    }
    case 'migrate':
      return migrate();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(overview());
      return;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((command) => command.name.startsWith(`${first} `));
    const message =
      group.length > 0
        ? `"${argv.slice(0, 2).join(' ')}" is not a command; ${first} takes ${group.map((command) => command.name.split(' ')[1]).join(', ')}`
        : `unknown command "${first}"`;
    throw new UsageError(message, overview());
  }
  await runCommand(found.command, found.rest);
}

cli(process.argv.slice(2)).then(
  () => {
    // Management commands end here; a server keeps running on its own handles.
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`hookflow: ${error.message}\n\n${error.usage}`);
      process.exit(EXIT.usage);
    }
    const message =
      error instanceof CliError || error instanceof ConfigError || error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`hookflow: ${message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : EXIT.failed);
  },
);
