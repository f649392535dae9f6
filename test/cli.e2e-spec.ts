import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './support/child-app';
import {
  postgres,
  queueModeSkip,
  REDIS_TEST_URL,
  sqlite,
  type TestDatabase,
} from './support/databases';
import { startSink, type Sink } from './support/sink';
import { startTestApp, TEST_API_KEY, TEST_ENCRYPTION_KEY, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * The `hookflow` CLI as a user runs it: a real process (`bin/hookflow.js`), its stdout, stderr
 * and exit code; against a running server (--server) and against the local database.
 */
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'hookflow.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How a long-running command ended: the signal that stopped it, or `exit <code>`. */
interface Stopped {
  ending: string;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `bin/hookflow.js` with a bare environment (PATH, HOME, silent logs) plus `env`, and
 * collects its stdout and stderr into `output` as they arrive.
 */
function spawnHookflow(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

function hookflow(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { child, output } = spawnHookflow(args, env);
    // A CLI that hangs is a failure, not a stuck suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
    child.stdin.end(input ?? '');
  });
}

/**
 * A long-running command (`start`, `worker`): waits until its stdout says it is up, checks it,
 * then sends SIGTERM and waits for it to exit. Bounded by the kill timer of the spawn.
 */
async function whileRunning(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  check: (stdout: string) => Promise<void>,
): Promise<Stopped> {
  const { child, output } = spawnHookflow(args, env);
  child.stdin.end();
  // Nest closes the app on SIGTERM, then re-raises the signal: a clean stop ends by SIGTERM.
  const exited = new Promise<string>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  try {
    await new Promise<void>((resolve, reject) => {
      // Runs after spawnHookflow's listener, so output.stdout already holds this chunk.
      child.stdout.on('data', () => {
        if (ready.test(output.stdout)) resolve();
      });
      void exited.then(() => reject(new Error(`exited before it was ready: ${output.stderr}`)));
    });
    await check(output.stdout);
  } finally {
    child.kill('SIGTERM');
  }
  const ending = await exited;
  clearTimeout(timer);
  return { ending, ...output };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// Each command is a fresh process (it boots the app for local commands): allow for a busy box.
jest.setTimeout(180_000);

describe('hookflow CLI: arguments', () => {
  it('prints the overview with --help and exits 0', async () => {
    const run = await hookflow(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['flows import', 'executions retry', 'apikey revoke', 'migrate']) {
      expect(run.stdout).toContain(command);
    }
  });

  it('runs as `npx hookflow` from a checkout without a build (npm ci links it)', async () => {
    // `npm ci` runs the `prepare` script, which links node_modules/.bin/hookflow; run it the
    // same way, then npx must find the command without dist/ (the launcher runs the source).
    const run = (file: string, args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          file,
          args,
          { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } },
          (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
        );
      });
    expect((await run('npm', ['run', '--silent', 'prepare'])).code).toBe(0);
    const help = await run('npx', ['--offline', '--no-install', 'hookflow', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: hookflow <command>');
  });

  it.each([
    [['bogus'], 'unknown command "bogus"'],
    [['flows', 'frobnicate'], 'flows takes list, export, import, enable, disable'],
    [['flows', 'list', '--limit', 'many'], '--limit must be a whole number'],
    [['flows', 'list', '--colour'], "Unknown option '--colour'"],
    [['flows', 'export'], 'missing <flow id>'],
    [['flows', 'export', 'not-an-id'], 'flow "not-an-id" is not an id'],
    [['flows', 'enable', randomUUID(), 'extra'], 'unexpected argument extra'],
    [['flows', 'import', 'a.json', '--from', 'zapier'], '--from must be hookflow, n8n or node-red'],
    [['executions', 'list', '--status', 'done'], '--status must be one of'],
    [['apikey', 'create'], '--name is required'],
    [['apikey', 'create', '--name', 'x', '--scopes', 'root'], '--scopes takes read, write, admin'],
    [['flows', 'list', '--server', 'ftp://x'], '--server must be an http(s) URL'],
  ])('refuses %j with usage and exit code 2', async (args, message) => {
    const run = await hookflow(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: hookflow');
    expect(run.stdout).toBe('');
  });
});

describe('hookflow CLI: against a running server', () => {
  let database: TestDatabase;
  let app: TestApp;
  let sink: Sink;
  let remote: (args: string[], input?: string) => Promise<Run>;
  let flowId: string;

  beforeAll(async () => {
    database = await sqlite.create();
    sink = await startSink();
    app = await startTestApp(database.env);
    remote = (args, input) =>
      hookflow([...args, '--server', app.url], { HOOKFLOW_API_KEY: TEST_API_KEY }, input);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await database?.drop();
  });

  it('imports flow files with progress, disabled unless --enable', async () => {
    const stripe = path.join(ROOT, 'examples', 'stripe-payment-to-http.json');
    const github = path.join(ROOT, 'examples', 'github-push-slack-commits.json');
    const run = await remote(['flows', 'import', stripe, github]);
    expect(run.stderr).not.toContain('hookflow:');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('[2/2]');
    const lines = run.stdout.split('\n').filter((line) => /^\S/.test(line));
    expect(lines).toHaveLength(2);
    // The GitHub flow names a secret this installation lacks: said, and left disabled.
    expect(run.stdout).toContain(
      '  missing credential "github-webhook-secret" (/nodes/0/params/auth/credential)',
    );
    expect(lines[0]).toMatch(new RegExp(`stripe-payment-to-http.json -> ${UUID.source} disabled`));
    expect(lines[1]).toContain('"GitHub push -> Slack commit list"');
    flowId = UUID.exec(lines[0])![0];
  });

  it('lists flows as a table and as JSON', async () => {
    const [human, json] = await Promise.all([
      remote(['flows', 'list']),
      remote(['flows', 'list', '--json']),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+VERSION\s+UPDATED\s+NAME$/);
    expect(human.stdout).toContain('Stripe payment -> payments API');
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as { items: Array<{ id: string; enabled: boolean }> };
    expect(page.items.map((flow) => flow.id)).toContain(flowId);
  });

  it('exports a flow to stdout and to a file, equal to what the API exports', async () => {
    const file = path.join(path.dirname(database.env.HOOKFLOW_SQLITE_PATH), 'export.json');
    const [toStdout, toFile] = await Promise.all([
      remote(['flows', 'export', flowId]),
      remote(['flows', 'export', flowId, '--out', file]),
    ]);
    expect(toStdout.code).toBe(0);
    expect(toFile.code).toBe(0);
    const api = await app.api('GET', `/api/flows/${flowId}/export`);
    expect(JSON.parse(toStdout.stdout)).toEqual(api.body);
    expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout);
  });

  it('enables a flow, shows and retries its execution, replays its delivery, disables it', async () => {
    // The example calls http://127.0.0.1:4000; point it at this test's sink instead.
    const document = JSON.parse(
      readFileSync(path.join(ROOT, 'examples', 'stripe-payment-to-http.json'), 'utf8').replace(
        'http://127.0.0.1:4000',
        sink.url,
      ),
    ) as unknown;
    const updated = await app.api('PUT', `/api/flows/${flowId}`, { body: document });
    expect(updated.status).toBe(200);

    const enabled = await remote(['flows', 'enable', flowId]);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain('enabled "Stripe payment -> payments API"');

    const flow = await app.api<{ triggers: Array<{ path: string }> }>(
      'GET',
      `/api/flows/${flowId}`,
    );
    const payment = readFileSync(path.join(ROOT, 'examples', 'payment-succeeded.json'), 'utf8');
    const accepted = await app.post(flow.body.triggers[0].path, payment, {
      'content-type': 'application/json',
    });
    expect(accepted.status).toBe(202);
    const { executionId } = accepted.body as { executionId: string };
    const finished = (id: string) =>
      waitFor(`execution ${id}`, async () => {
        const view = await app.api<{ status: string; deliveryId: string }>(
          'GET',
          `/api/executions/${id}`,
        );
        return view.body.status === 'succeeded' ? view.body : undefined;
      });
    const first = await finished(executionId);

    const listed = await remote(['executions', 'list', '--flow', flowId, '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: Array<{ id: string }> }).items[0].id).toBe(
      executionId,
    );

    const shown = await remote(['executions', 'show', executionId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`execution ${executionId}: succeeded`);
    for (const node of ['stripe', 'map', 'big', 'notify']) expect(shown.stdout).toContain(node);

    const retried = await remote(['executions', 'retry', executionId, '--json']);
    expect(retried.code).toBe(0);
    const retry = JSON.parse(retried.stdout) as { executionId: string };
    expect(retry.executionId).not.toBe(executionId);
    await finished(retry.executionId);

    const replayed = await remote(['deliveries', 'replay', first.deliveryId]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(new RegExp(`replayed ${first.deliveryId}: delivery`));
    await finished(UUID.exec(replayed.stdout.split('execution ')[1])![0]);
    // Three runs, three calls to the payments API: the original, the retry and the replay.
    expect(sink.received).toHaveLength(3);

    const disabled = await remote(['flows', 'disable', flowId]);
    expect(disabled.code).toBe(0);
    const refused = await app.post(flow.body.triggers[0].path, payment, {
      'content-type': 'application/json',
    });
    expect(refused.status).toBe(404);
  });

  it('exits 3 for what does not exist and 1 for a refused key, in one line', async () => {
    const missing = await remote(['executions', 'show', randomUUID()]);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('not found');

    const refused = await hookflow(['flows', 'list', '--server', app.url, '--api-key', 'nope']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused the API key (401)');
  });

  it('reports a file that is not JSON and still imports the others (exit 1)', async () => {
    const bad = path.join(path.dirname(database.env.HOOKFLOW_SQLITE_PATH), 'bad.json');
    writeFileSync(bad, '{ "format": ');
    const good = path.join(ROOT, 'examples', 'lead-form-country-routing.json');
    const run = await remote(['flows', 'import', bad, good]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad.json: not JSON');
    expect(run.stderr).toContain('1 of 2 file(s) failed to import');
    expect(run.stderr).toMatch(/\[1\/2\] failed \S*bad\.json/);
    expect(run.stderr).not.toMatch(/\[1\/2\] imported \S*bad\.json/);
    expect(run.stdout).toContain('lead-form-country-routing.json ->');
  });

  it("suggests --from when a file is another tool's export, and imports it with --from", async () => {
    const n8n = path.join(ROOT, 'test', 'fixtures', 'n8n', 'stripe-payment-alerts.json');
    const nodeRed = path.join(ROOT, 'test', 'fixtures', 'node-red', 'hello-page.json');
    const plain = await remote(['flows', 'import', n8n, nodeRed]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('this looks like an n8n export: add --from n8n');
    expect(plain.stderr).toContain('this looks like a Node-RED export: add --from node-red');
    expect(plain.stderr).toContain('2 of 2 file(s) failed to import');
    const converted = await remote(['flows', 'import', nodeRed, '--from', 'node-red']);
    expect(converted.code).toBe(0);
    expect(converted.stdout).toMatch(
      /hello-page\.json -> \S+ disabled "Pages" \(4 converted, 0 approximated, 0 unsupported\)/,
    );
  });

  it('leaves a converted flow disabled under --enable while its credentials are missing', async () => {
    const n8n = path.join(ROOT, 'test', 'fixtures', 'n8n', 'stripe-payment-alerts.json');
    const run = await remote(['flows', 'import', n8n, '--from', 'n8n', '--enable']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ disabled "/);
    expect(run.stdout).toContain('  credential to create: ');
    expect(run.stderr).toContain('imported but left disabled (create the credentials ');
  });
});

describe('hookflow CLI: on the local database, without a server', () => {
  let database: TestDatabase;
  let local: (args: string[], input?: string) => Promise<Run>;

  beforeAll(async () => {
    database = await sqlite.create();
    local = (args, input) =>
      hookflow(args, { ...database.env, HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, input);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('migrates, creates the owner once, then manages API keys', async () => {
    const migrated = await local(['migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('is up to date');

    const owner = await local(
      ['owner', 'create', '--email', 'ada@example.test', '--password-stdin'],
      'correct horse battery staple\n',
    );
    expect(owner.code).toBe(0);
    // The first boot on a new database makes its first API key and says so, once.
    expect(owner.stderr).toMatch(/^hookflow: generated the first API key hf_\S+\n$/);
    expect(owner.stdout).toContain('created the owner ada@example.test');
    const again = await local(
      ['owner', 'create', '--email', 'eve@example.test', '--password-stdin'],
      'another long password\n',
    );
    expect(again.code).toBe(4);

    const created = await local(['apikey', 'create', '--name', 'ci', '--scopes', 'read', '--json']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; scopes: string[] };
    expect(key.scopes).toEqual(['read']);
    expect(key.key.length).toBeGreaterThan(20);

    const revoked = await local(['apikey', 'revoke', key.id]);
    expect(revoked.code).toBe(0);
    const listed = await local(['apikey', 'list']);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(key.id));
    expect(row).toMatch(/revoked/);
    // The key itself is shown once, at creation, never again.
    expect(listed.stdout).not.toContain(key.key);
  });

  it('imports and lists flows in the database file', async () => {
    const file = path.join(ROOT, 'examples', 'stripe-payment-to-http.json');
    const imported = await local(['flows', 'import', file, '--enable']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/-> .* enabled "Stripe payment -> payments API"/);
    // A flow naming a credential this database lacks cannot be enabled: exit 1, said why.
    const shopify = path.join(ROOT, 'examples', 'shopify-order-inventory.json');
    const refused = await local(['flows', 'import', shopify, '--enable']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('disabled "Shopify order');
    expect(refused.stderr).toContain('left disabled (missing credentials)');
    const listed = await local(['flows', 'list', '--json']);
    const page = JSON.parse(listed.stdout) as { items: Array<{ name: string; enabled: boolean }> };
    expect(page.items.map((flow) => [flow.name, flow.enabled]).sort()).toEqual([
      ['Shopify order -> inventory API per line item', false],
      ['Stripe payment -> payments API', true],
    ]);
  });
});

describe('hookflow CLI: the server commands', () => {
  it('start serves the API until SIGTERM, then stops cleanly', async () => {
    const database = await sqlite.create();
    try {
      const port = await freePort();
      const run = await whileRunning(
        ['start'],
        {
          ...database.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          HOOKFLOW_API_KEY: TEST_API_KEY,
          HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        },
        /Hookflow is running/,
        async (stdout) => {
          expect(stdout).toContain(`http://localhost:${port}/api`);
          const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
          expect(ready.status).toBe(200);
          const flows = await fetch(`http://127.0.0.1:${port}/api/flows`, {
            headers: { authorization: `Bearer ${TEST_API_KEY}` },
          });
          expect(flows.status).toBe(200);
        },
      );
      expect(['SIGTERM', 'exit 0']).toContain(run.ending);
    } finally {
      await database.drop();
    }
  });

  it('worker refuses to start without REDIS_URL, saying why (exit 1)', async () => {
    const run = await hookflow(['worker']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('REDIS_URL is not set');
  });

  const queue = queueModeSkip();
  (queue ? it.skip : it)(
    `worker consumes the queue and serves its health port${queue ? ` (SKIPPED: ${queue})` : ''}`,
    async () => {
      const database = await postgres.create();
      const env = {
        ...database.env,
        REDIS_URL: REDIS_TEST_URL,
        HOOKFLOW_QUEUE_PREFIX: `cli-${randomUUID().slice(0, 8)}`,
        HOOKFLOW_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      };
      // An API in queue mode in this process: it accepts deliveries but runs none of them.
      const api = await startTestApp(env);
      try {
        const created = await api.api<{ triggers: Array<{ path: string }> }>('POST', '/api/flows', {
          body: {
            format: 'hookflow.flow/v1',
            name: 'consumed by the CLI worker',
            nodes: [
              { id: 'hook', type: 'trigger.webhook', params: {} },
              { id: 'double', type: 'transform', params: { expression: '{ "twice": n * 2 }' } },
            ],
            edges: [{ from: 'hook', to: 'double' }],
          },
        });
        expect(created.status).toBe(201);
        const run = await whileRunning(
          ['worker'],
          { ...env, HOOKFLOW_WORKER_PORT: '0' },
          /hookflow worker: started.*on (http:\/\/\S+)\n/,
          async (stdout) => {
            const url = /on (http:\/\/\S+)\n/.exec(stdout)![1];
            const live = await fetch(`${url}/health/live`);
            expect(live.status).toBe(200);
            const delivered = await api.post(created.body.triggers[0].path, '{"n": 21}', {
              'content-type': 'application/json',
            });
            expect(delivered.status).toBe(202);
            const { executionId } = delivered.body as { executionId: string };
            const steps = await waitFor('the worker to run the delivery', async () => {
              const view = await api.api<{
                status: string;
                steps: Array<{ nodeId: string; output: unknown }>;
              }>('GET', `/api/executions/${executionId}`);
              return view.body.status === 'succeeded' ? view.body.steps : undefined;
            });
            expect(steps.find((step) => step.nodeId === 'double')?.output).toEqual({ twice: 42 });
          },
        );
        expect(['SIGTERM', 'exit 0']).toContain(run.ending);
      } finally {
        await api.close();
        await database.drop();
      }
    },
  );
});
