import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { documentedVariables } from '@hookflow/common';
import {
  DEPLOY_DOC_FILE,
  END_MARKER,
  environmentTable,
  START_MARKER,
} from '../scripts/write-deploy-doc';
import { tableCells } from './support/markdown-table';

/**
 * Docker cannot run on the CI machines, so the deployment files are checked for what they must
 * contain: the compose services with health checks, volumes and environment, and an image that
 * is multi-stage, small and unprivileged. Plus: docs/deploy.md lists the variables as validated.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string | string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

const compose = parse(read('docker/compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const commandOf = (service: Service) => [service.command ?? []].flat().join(' ');
const healthTest = (service: Service) => [service.healthcheck?.test ?? []].flat().join(' ');
const workers = Object.entries(services).filter(([, service]) =>
  commandOf(service).includes('apps/worker/src/main.js'),
);
const knownVariables = new Set(documentedVariables().map((variable) => variable.name));

describe('docker/compose.yml', () => {
  it('runs an API, two workers, PostgreSQL and Redis', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['api', 'postgres', 'redis']));
    expect(commandOf(services.api)).toContain('dist/src/main.js');
    const replicas = workers.reduce((sum, [, service]) => sum + (service.deploy?.replicas ?? 1), 0);
    expect(replicas).toBeGreaterThanOrEqual(2);
  });

  it('keeps PostgreSQL and Redis data on named volumes, Redis with the append-only file on', () => {
    expect(services.postgres.volumes).toContainEqual(
      expect.stringMatching(/^[\w-]+:\/var\/lib\/postgresql\/data$/),
    );
    expect(services.redis.volumes).toContainEqual(expect.stringMatching(/^[\w-]+:\/data$/));
    expect(commandOf(services.redis)).toMatch(/--appendonly yes/);
    for (const service of [services.postgres, services.redis]) {
      const volume = (service.volumes ?? [])[0].split(':')[0];
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('gives every service a health check, and the app services wait for healthy stores', () => {
    expect(healthTest(services.postgres)).toContain('pg_isready');
    expect(healthTest(services.redis)).toContain('redis-cli ping');
    expect(healthTest(services.api)).toContain('127.0.0.1:3000/health/live');
    for (const [name, service] of [['api', services.api] as const, ...workers]) {
      expect({ name, depends: service.depends_on }).toEqual({
        name,
        depends: expect.objectContaining({
          postgres: { condition: 'service_healthy' },
          redis: { condition: 'service_healthy' },
        }),
      });
    }
    for (const [, worker] of workers) {
      // A worker has no API port: its health listener is HOOKFLOW_WORKER_PORT.
      const port = worker.environment?.HOOKFLOW_WORKER_PORT;
      expect(port).toMatch(/^\d+$/);
      expect(healthTest(worker)).toContain(`127.0.0.1:${port}/health/live`);
    }
  });

  it('gives the API and workers the shared environment, with names Hookflow knows', () => {
    for (const [name, service] of [['api', services.api] as const, ...workers]) {
      const env = service.environment ?? {};
      expect({ name, env }).toEqual({
        name,
        env: expect.objectContaining({
          DATABASE_URL: expect.stringMatching(/^postgres:\/\/.+@postgres:5432\//),
          REDIS_URL: 'redis://redis:6379',
          HOOKFLOW_ENCRYPTION_KEY: expect.stringContaining('HOOKFLOW_ENCRYPTION_KEY'),
          HOOKFLOW_API_KEY: expect.stringContaining('HOOKFLOW_API_KEY'),
          HOOKFLOW_PUBLIC_URL: expect.any(String),
        }),
      });
      for (const variable of Object.keys(env)) expect(knownVariables).toContain(variable);
    }
  });
});

describe('docker/Dockerfile', () => {
  const lines = read('docker/Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  const stageStarts = lines.flatMap((line, index) => (/^FROM /i.test(line) ? [index] : []));
  const finalStage = lines.slice(stageStarts[stageStarts.length - 1]);
  const stageName = (index: number) => /\bAS\s+(\S+)/i.exec(lines[index])?.[1];

  it('is multi-stage, the last stage a runtime that installs and compiles nothing', () => {
    expect(stageStarts.length).toBeGreaterThanOrEqual(3);
    expect(finalStage.some((line) => /^RUN .*npm (ci|install)\b/.test(line))).toBe(false);
    expect(finalStage.some((line) => /^COPY (?!--from)/.test(line))).toBe(false);
    expect(finalStage).toContainEqual(expect.stringMatching(/^COPY --from=\S+ \/app\/dist /));
  });

  it('takes node_modules from a stage that dropped the dev dependencies', () => {
    const copy = finalStage.find((line) => /^COPY --from=\S+ \/app\/node_modules /.test(line));
    const from = /--from=(\S+)/.exec(copy ?? '')?.[1];
    const source = stageStarts.find((index) => stageName(index) === from);
    expect(source).toBeDefined();
    const next = stageStarts.find((index) => index > (source as number)) ?? lines.length;
    expect(lines.slice(source, next)).toContainEqual(
      expect.stringMatching(/npm (prune|ci) .*--omit=dev/),
    );
  });

  it('runs as a non-root user and checks /health/live', () => {
    const user = finalStage.filter((line) => /^USER /.test(line)).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(finalStage).toContainEqual(expect.stringMatching(/^HEALTHCHECK .*\/health\/live/));
    expect(finalStage).toContainEqual(expect.stringMatching(/^CMD /));
  });

  it('keeps dependencies, build output and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.git']));
  });
});

describe('docs/deploy.md', () => {
  it('lists every environment variable as the configuration validates it (npm run docs)', () => {
    const committed = readFileSync(DEPLOY_DOC_FILE, 'utf8');
    const start = committed.indexOf(START_MARKER);
    const end = committed.indexOf(END_MARKER);
    expect(start).toBeGreaterThan(0);
    const stale = 'docs/deploy.md is out of date: run `npm run docs` and commit docs/';
    try {
      expect(tableCells(committed.slice(start, end))).toEqual(tableCells(environmentTable()));
    } catch (error) {
      throw new Error(`${stale}\n\n${error instanceof Error ? error.message : String(error)}`);
    }
    for (const name of knownVariables) expect(committed).toContain(`| \`${name}\``);
  });
});
