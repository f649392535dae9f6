#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@hookflow/common';
import { Database } from '@hookflow/store';
import { runWorker } from '@hookflow/worker';
import { runServer } from './main';

const USAGE = `usage: hookflow <command>

  start     the server: API, hooks and (embedded mode) the runner      [npm start]
  worker    a worker of the scale-out mode (needs REDIS_URL)          [npm run start:worker]
  migrate   apply pending database migrations and exit

Configuration comes from the environment; see docs/configuration.md.
`;

async function migrate(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await Database.open(config.database);
  const pending = await database.migrate();
  await database.close();
  process.stdout.write(
    `hookflow: database ${config.database.kind} is up to date${pending.length ? ` (applied ${pending.join(', ')})` : ''}\n`,
  );
}

/** The `hookflow` command: a thin switch over the same entry points npm scripts use. */
async function cli(argv: string[]): Promise<void> {
  const [command] = argv;
  switch (command) {
    case 'start':
      return runServer();
    case 'worker':
      return runWorker();
    case 'migrate':
      return migrate();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`hookflow: unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

cli(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`hookflow: ${message}\n`);
  process.exit(1);
});
