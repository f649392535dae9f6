/**
 * `npm run soak [-- --minutes N --rate R --write]`: the embedded server (its own process, SQLite in a
 * temp dir, retention set to minutes) under a steady load of webhook deliveries whose flow calls
 * a loopback sink. Every 15 s it samples the server's RSS, the SQLite file (+ WAL) and the row
 * counts; at the end it prints the table and a verdict: RSS and file size level off (the last
 * third's peak within 10% of the middle third's) and nothing failed. Exit code 1 otherwise.
 * `--write` puts the figures in the Soak section of docs/BENCHMARKS.md.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllChildrenNow, stopAllChildren } from './lib/children';
import { actionFlow, PAYMENT_BODY } from './lib/flows';
import { HookflowApi, sleep, startBenchServer, startHookflow, until } from './lib/hookflow';
import { mib, readMemory } from './lib/memory';
import { loadBefore, soakSection, writeSoakSection } from './lib/soak-report';
import { levelsOff, type SoakSample } from './lib/soak-verdict';

const SAMPLE_MS = 15_000;
const MAX_IN_FLIGHT = 500;
const RETENTION = {
  HOOKFLOW_RETENTION_MAX_AGE: '2m',
  HOOKFLOW_RETENTION_FAILED_MAX_AGE: '3m',
  HOOKFLOW_RETENTION_INTERVAL: '15s',
};

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

function rowCounts(path: string): SoakSample['rows'] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      executions: count('executions'),
      steps: count('execution_steps'),
      deliveries: count('deliveries'),
      unfinished: (
        db
          .prepare(
            "SELECT count(*) AS n FROM executions WHERE status IN ('pending', 'running', 'waiting')",
          )
          .get() as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  const minutes = option('minutes', 10);
  const rate = option('rate', 50);
  const write = process.argv.includes('--write');
  const load = loadBefore();
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-soak-'));
  const dbPath = join(dir, 'hookflow.db');
  process.on('exit', () => {
    killAllChildrenNow();
    rmSync(dir, { recursive: true, force: true });
  });
  const onSignal = (): void => void stopAllChildren().finally(() => process.exit(130));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const sink = await startBenchServer('sink', 'bench/servers/sink-server.mjs');
  let errorLines = 0;
  const errorExamples: string[] = [];
  const server = await startHookflow({
    name: 'hookflow',
    script: 'src/main.ts',
    nodeArgs: ['-r', '@swc-node/register'],
    env: { HOOKFLOW_SQLITE_PATH: dbPath, LOG_LEVEL: 'warn', ...RETENTION },
  });
  const scan = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) {
      if (/"level":(50|60)/.test(line) || /retention: pruning failed/.test(line)) {
        errorLines += 1;
        if (errorExamples.length < 3) errorExamples.push(line.slice(0, 300));
      }
    }
  };
  server.process.stdout?.on('data', scan);
  server.process.stderr?.on('data', scan);
  const api = new HookflowApi(server.url);
  const flow = await api.importFlow(actionFlow(sink.url));
  if (!flow.ok) throw new Error(`importing the flow failed: ${flow.status} ${flow.body}`);
  const { hookUrl, flowId } = flow;

  console.log(
    `soak: ${minutes} min at ${rate} deliveries/s, embedded, SQLite ${dbPath}, ` +
      `retention ${RETENTION.HOOKFLOW_RETENTION_MAX_AGE} (failed ${RETENTION.HOOKFLOW_RETENTION_FAILED_MAX_AGE}), ` +
      `pruner every ${RETENTION.HOOKFLOW_RETENTION_INTERVAL}`,
  );
  const started = Date.now();
  const endAt = started + minutes * 60_000;
  let sent = 0;
  let accepted = 0;
  let refused = 0;
  let inFlight = 0;
  let skipped = 0;
  const refusals: string[] = [];
  const post = async (): Promise<void> => {
    inFlight += 1;
    try {
      const answer = await fetch(hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: PAYMENT_BODY,
      });
      await answer.arrayBuffer();
      if (answer.status >= 200 && answer.status < 300) accepted += 1;
      else {
        refused += 1;
        if (refusals.length < 3) refusals.push(`HTTP ${answer.status}`);
      }
    } catch (error) {
      refused += 1;
      if (refusals.length < 3) refusals.push(String(error));
    } finally {
      inFlight -= 1;
    }
  };
  const loadLoop = (async () => {
    while (Date.now() < endAt) {
      const due = started + (sent + skipped) * (1000 / rate);
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      if (inFlight >= MAX_IN_FLIGHT) skipped += 1;
      else {
        sent += 1;
        void post();
      }
    }
  })();

  const samples: SoakSample[] = [];
  const sample = (): void => {
    const memory = readMemory(server.pid);
    const row: SoakSample = {
      seconds: Math.round((Date.now() - started) / 1000),
      rssMiB: memory ? mib(memory.rssKiB) : 0,
      dbMiB: Math.round(((fileSize(dbPath) + fileSize(`${dbPath}-wal`)) / 1048576) * 10) / 10,
      rows: rowCounts(dbPath),
      accepted,
    };
    samples.push(row);
    console.log(
      `${String(row.seconds).padStart(5)} s  rss ${String(row.rssMiB).padStart(6)} MiB  ` +
        `db+wal ${String(row.dbMiB).padStart(6)} MiB  executions ${String(row.rows.executions).padStart(6)}  ` +
        `steps ${String(row.rows.steps).padStart(6)}  deliveries ${String(row.rows.deliveries).padStart(6)}  ` +
        `unfinished ${String(row.rows.unfinished).padStart(5)}  ` +
        `accepted ${accepted}`,
    );
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  await loadLoop;
  clearInterval(sampler);
  sample();
  await until(async () => inFlight === 0 && (await api.backlog(flowId)) === 0, {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  const failed = await api.firstFailure(flowId);
  const alive = server.isRunning();
  await stopAllChildren();

  const rss = levelsOff(samples.map((entry) => entry.rssMiB));
  const db = levelsOff(samples.map((entry) => entry.dbMiB));
  console.log('');
  console.log(
    '| t (s) | RSS (MiB) | SQLite + WAL (MiB) | executions | steps | deliveries | unfinished |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of samples) {
    console.log(
      `| ${row.seconds} | ${row.rssMiB} | ${row.dbMiB} | ${row.rows.executions} | ${row.rows.steps} | ${row.rows.deliveries} | ${row.rows.unfinished} |`,
    );
  }
  console.log('');
  console.log(
    `sent ${sent}, accepted ${accepted}, refused ${refused}, skipped (over ${MAX_IN_FLIGHT} in flight) ${skipped}, ` +
      `failed runs ${failed.count}, error log lines ${errorLines}`,
  );
  console.log(`RSS: ${rss.summary}`);
  console.log(`SQLite file: ${db.summary}`);
  const problems: string[] = [];
  if (!alive) problems.push('the server exited during the soak');
  if (refused > 0) problems.push(`${refused} deliveries refused (${refusals.join('; ')})`);
  if (failed.count > 0) problems.push(`${failed.count} runs failed (${failed.error ?? ''})`);
  if (errorLines > 0) problems.push(`${errorLines} error log lines: ${errorExamples.join(' | ')}`);
  if (!rss.ok) problems.push('RSS did not level off');
  if (!db.ok) problems.push('the SQLite file did not level off');
  const verdict = problems.length === 0 ? 'PASS' : `FAIL: ${problems.join('; ')}`;
  console.log(`verdict: ${verdict}`);
  if (write) {
    const section = soakSection({
      minutes,
      rate,
      retention: RETENTION,
      samples,
      sent,
      accepted,
      refused,
      failedRuns: failed.count,
      errorLines,
      rssSummary: rss.summary,
      dbSummary: db.summary,
      verdict,
      loadBefore: load,
    });
    console.log(`wrote the Soak section of ${await writeSoakSection(section)}`);
  }
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
