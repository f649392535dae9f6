import 'reflect-metadata';
import {
  applyHeapGrowth,
  ConfigError,
  createLogger,
  loadConfig,
  type HookflowConfig,
} from '@hookflow/common';
import { createApp } from '@hookflow/api';

function banner(config: HookflowConfig, generatedApiKey?: string): string {
  const database =
    config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : 'PostgreSQL';
  const mode = config.redisUrl
    ? 'queue mode: API only, runs go to workers (npm run start:worker)'
    : 'embedded mode';
  const lines = [
    '',
    `  Hookflow is running (${mode}, ${database})`,
    `  API        ${config.publicUrl}/api`,
    `  API docs   ${config.publicUrl}/api/docs`,
    `  Health     ${config.publicUrl}/health`,
    `  Hooks      ${config.publicUrl}/hooks/<hookId>`,
    `  Example    curl -X POST ${config.publicUrl}/api/flows/import -H "Authorization: Bearer $HOOKFLOW_API_KEY" \\`,
    `               -H 'Content-Type: application/json' -d @examples/stripe-payment-to-http.json`,
  ];
  if (generatedApiKey) {
    lines.push(
      '',
      `  API key    ${generatedApiKey}`,
      '             generated on first start; shown only this once, stored hashed.',
      `             export HOOKFLOW_API_KEY=${generatedApiKey}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The embedded default: API, intake and runner in one process, SQLite unless DATABASE_URL says
 * otherwise. With REDIS_URL (queue mode) the same process serves the API only.
 */
export async function runServer(): Promise<void> {
  let config: HookflowConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookflow: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  applyHeapGrowth(config.heapGrowthPercent);
  const logger = createLogger(config.logLevel);
  const { app, generatedApiKey } = await createApp({
    config,
    logger,
    runExecutions: !config.redisUrl,
  });
  await app.listen(config.port, config.host);
  logger.info({ port: config.port, database: config.database.kind }, 'hookflow started');
  if (config.banner) process.stdout.write(banner(config, generatedApiKey));
  else if (generatedApiKey)
    process.stdout.write(`hookflow: generated API key ${generatedApiKey}\n`);
}

if (require.main === module) {
  runServer().catch((error: unknown) => {
    process.stderr.write(
      `hookflow: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
