import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { HookflowMetrics, PinoNestLogger, type HookflowConfig } from '@hookflow/common';
import { EXECUTION_QUEUE, type BullExecutionQueue, type ExecutionQueue } from '@hookflow/queue';
import { DatabaseOutage } from '@hookflow/store';
import { AppModule } from './app.module';
import { ApiKeysService } from './auth/api-keys.service';
import { registerAuthenticateFirst } from './auth/authenticate-first';
import { Authenticator, LocalToken } from './auth/authenticator';
import { acceptEmptyJsonBodies } from './common/empty-json-body';
import { registerEditor } from './editor/register-editor';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { validationError } from './errors/error-body';
import { HookIntakeService } from './hooks/hook-intake.service';
import { registerHookRoutes } from './hooks/hook-routes';
import { IntakeGate } from './hooks/intake-gate';
import { registerMetricsRoute } from './metrics/metrics-route';

export interface CreateAppOptions {
  config: HookflowConfig;
  logger: Logger;
  runExecutions?: boolean;
  /**
   * A bearer token that stands for the local operator (all scopes, principal `cli`), for the
   * `hookflow` CLI calling in-process with inject. Never stored; leave unset for a server.
   */
  localToken?: string;
}

export interface HookflowApp {
  app: NestFastifyApplication;
  /** Set when this start generated the first API key (printed once, stored hashed). */
  generatedApiKey?: string;
}

function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hookflow API')
      .setDescription('Manage flows, read executions. Triggers are posted to /hooks/<hookId>.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}

/** Builds the whole application (not yet listening): the one way main.ts and tests start it. */
export async function createApp(options: CreateAppOptions): Promise<HookflowApp> {
  const { config, logger } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    trustProxy: false,
    // Headers that never finish arriving (slowloris) close the connection; Node checks
    // every connection this often (its default, 30 s, would let them linger).
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      logger,
      // Queue mode: the API only accepts; workers run.
      runExecutions: options.runExecutions ?? !config.redisUrl,
    }),
    adapter,
    { logger: new PinoNestLogger(logger.child({ component: 'nest' })), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  app.get(LocalToken).set(options.localToken);
  // Nest routes Fastify's own errors (bad JSON, body too large) through this filter too.
  app.useGlobalFilters(new AllExceptionsFilter(logger, app.get(DatabaseOutage)));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  app.enableShutdownHooks();
  registerAuthenticateFirst(fastify, app.get(Authenticator));
  await registerHookRoutes(fastify, app.get(HookIntakeService), config, app.get(IntakeGate), {
    outage: app.get(DatabaseOutage),
  });
  registerMetricsRoute(fastify, app.get(HookflowMetrics), config.metricsToken);
  const queue = app.get<ExecutionQueue>(EXECUTION_QUEUE);
  if (queue.kind === 'bull') {
    // Bull Board (about 16 MiB resident) loads only where there is a Bull queue to show.
    const { registerQueueDashboard } = await import('./admin/queue-dashboard');
    await registerQueueDashboard(fastify, queue as BullExecutionQueue, app.get(Authenticator));
  }
  setupOpenApi(app);
  await registerEditor(fastify);
  await app.init();
  // After init: it replaces the JSON parser Nest registers there.
  acceptEmptyJsonBodies(fastify);
  return { app, generatedApiKey: app.get(ApiKeysService).generatedKey };
}
