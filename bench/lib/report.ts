import type {
  ActionsResult,
  BenchResults,
  DrainResult,
  IntakeResult,
  LoadPoint,
  Outcome,
  SyncResult,
} from './types';
import { ANCHORS, isIntake, isIntakeBound, ms, n, point } from './targets';

const LOAD_HEADER = [
  'Workload',
  'Mode',
  'c',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'non-2xx',
  'vs bare',
  'server CPU',
  'machine busy',
];

/** A load-table row that carries a message (pending, failed) instead of figures. */
function messageRow(workload: string, mode: string, text: string): string[] {
  return [workload, mode, '—', text, ...LOAD_HEADER.slice(4).map(() => '')];
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function loadRow(workload: string, mode: string, p: LoadPoint, acks: boolean): string[] {
  return [
    workload,
    mode,
    String(p.connections),
    `${n(acks ? p.okPerSec : p.requestsPerSec)}${acks ? ' acks/s' : ''}`,
    ms(p.latencyMs.p50),
    ms(p.latencyMs.p99),
    n(p.errors),
    n(p.non2xx),
    p.ratioToBare === null ? '—' : `${(p.ratioToBare * 100).toFixed(1)} %`,
    p.serverCpuPercent === null ? '—' : `${p.serverCpuPercent} %`,
    p.machineBusyCores === null ? '—' : String(p.machineBusyCores),
  ];
}

function syncRows(label: string, mode: string, result: SyncResult): string[][] {
  if (result.status === 'measured') return result.points.map((p) => loadRow(label, mode, p, false));
  return [messageRow(label, mode, result.reason)];
}

function intakeRows(
  mode: string,
  result: IntakeResult | { status: string; reason: string },
): string[][] {
  if ('points' in result) return result.points.map((p) => loadRow('W2 intake', mode, p, true));
  return [messageRow('W2 intake', mode, result.reason)];
}

function drainRow(mode: string, drain: DrainResult | null): string[] {
  if (!drain) return ['W2 drain', mode, '—', '—', '—', 'not measured'];
  if (drain.backlogAtStart === 0) {
    return ['W2 drain', mode, '0', '—', '—', 'no backlog: the runner kept up with the intake'];
  }
  return [
    'W2 drain',
    mode,
    n(drain.drained),
    String(drain.seconds),
    n(drain.perSec),
    drain.emptied
      ? `backlog of ${n(drain.backlogAtStart)} emptied; failed ${drain.failed}`
      : `bound reached: ${n(drain.backlogLeft)} of ${n(drain.backlogAtStart)} left; failed ${drain.failed}`,
  ];
}

function actionsRow(mode: string, result: Outcome<ActionsResult>): string[] {
  if (result.status !== 'measured') return ['W3 actions', mode, '—', '—', '—', result.reason];
  const value = result.value;
  return [
    'W3 actions',
    mode,
    n(value.succeeded),
    String(value.seconds),
    n(value.execPerSec),
    `${n(value.accepted)} posted in ${value.postSeconds} s, ${n(value.backlogAtPostEnd)} unfinished then` +
      (isIntakeBound(value) ? ' (intake-bound: the runs kept pace with the posting)' : '') +
      `; failed ${value.failed}; sink got ${n(value.sinkReceived)}` +
      (value.complete ? '' : '; bound reached before all finished'),
  ];
}

function howToRead(cpus: number): string {
  return `## How to read it

- **Bare Node** is the physical limit of this machine: a plain \`node:http\` server doing W1's work
  by hand (parse, map, filter, answer) and persisting nothing. The **vs bare** column is
  Hookflow's throughput as a share of it at the same concurrency; it travels between machines
  better than raw req/s. The guide's anchors (69,000 req/s bare, Node-RED 5,200, n8n 29) were
  measured on another machine of this kind: compare ratios, not absolute numbers.
- **Targets, vs bare (goal)**: each throughput target also as a share of this run's bare
  baseline at the same concurrency, beside the goal as the same share of the bare figure the
  targets were set against (61,680 req/s at c=16, 60,450 at c=64, issue 13). On a slower or
  busier machine the absolute goal can be out of reach while the ratio is met, and the reverse.
- **W1 sync** answers the caller with the flow's result (\`respond: "when-finished"\`): each request
  is a whole run, persisted, before the answer. It is the figure to hold against Node-RED, which
  persists nothing. Until the trigger supports \`when-finished\` it shows as pending.
- **W2 intake** is what a webhook sender sees: deliveries acknowledged (202) per second. Each ack
  means the delivery and a pending execution are on disk. In embedded mode the runs wait in the
  queue's background lane while wrk posts (a sixteenth of the concurrency runs meanwhile, see
  docs/operations.md), so the points measure the intake and leave a backlog; the server runs
  with \`HOOKFLOW_QUEUE_CEILING=0\` so that the ceiling does not cut the measurement. **W2
  drain** is the runner afterwards: executions finished per second until the backlog is empty
  (or the bound is reached).
- **W3 actions** counts whole runs that call out (\`http.request\` to a local sink answering 200):
  from the first POST to the last execution finished. This is the queue-mode scaling figure.
- **Server CPU** is the CPU time the process under load used during the measured 10 s, in % of
  one core: near 100 % means that process is the bottleneck (a Node process runs its JavaScript
  on one core). **Machine busy** is how many of the CPUs the whole machine kept busy meanwhile
  (the server, wrk, and anything else): well above server + wrk means someone else's work was
  running, and that row is low by an unknown amount. So does a **load average before the run**
  above about half the CPU count.
- **Errors** are socket errors and timeouts (wrk, 5 s timeout); **non-2xx** are answers with
  status ≥ 400. Either one being non-zero makes the row suspect.
- **Peak RSS** is the resident set (VmHWM, reset per workload, plus VmRSS polled every 100 ms)
  of each process. The big-payload figure is the peak RSS above the process's RSS just before
  the delivery, divided by the payload size: RSS, not V8 heap, so it also counts SQLite's page
  cache and allocator slack, and overstates heap growth a little.
- A Node process runs its JavaScript on one core: the embedded process cannot use more than one,
  however many CPUs there are. Queue mode spreads the work over processes, but here API,
  workers, PostgreSQL, Redis, wrk and the sink share ${cpus} CPUs, so adding a worker shows little
  or nothing on this machine. A W3 row marked **intake-bound** had no backlog when posting
  stopped: its exec/s is the API's intake rate, not what the workers could do.
- Loopback only, one wrk thread, sharing the ${cpus} CPUs with the servers under test: these are
  lower bounds for a dedicated server.
`;
}

const HOW_TO_RUN = `## How to run it

\`\`\`bash
npm run bench                 # build, run everything (< 10 min), rewrite this file
npm run bench -- --skip-build # use the existing dist/
npm run bench -- --profile    # W1 at c=64 under node --cpu-prof (--profile w2: W2); prints the top self-time functions
npm run bench -- --only w1w2,queue # just those phases (bare, w1w2, w3, big, queue); writes nothing here
\`\`\`

Needs \`wrk\` (\`apt-get install -y wrk\`; the bench tries that itself when run as root). Queue mode
runs when Redis answers on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432 (database \`test\`,
user \`postgres\`; the bench creates and drops its own databases) and
\`dist/apps/worker/src/main.js\` exists. Results: \`bench/results/<timestamp>.json\` and
\`bench/results/latest.json\`.
`;

function nearestWhileW1Pending(results: BenchResults): string {
  const w1 = results.embedded.w1;
  const reason = w1.status === 'measured' ? 'not measured' : w1.reason;
  const w2 = results.embedded.w2;
  const c64 = isIntake(w2) ? w2.points.find((p) => p.connections === 64) : undefined;
  const c16 = isIntake(w2) ? w2.points.find((p) => p.connections === 16) : undefined;
  if (!c64) return `Hookflow W1: ${reason}`;
  return (
    `Hookflow W1: ${reason}. Nearest: W2 intake ${n(c64.okPerSec)} acks/s at c=64` +
    (c16 ? `, p99 ${ms(c16.latencyMs.p99)} ms at c=16` : '')
  );
}

const queueMode = (workers: number): string => `queue, ${workers} worker${workers > 1 ? 's' : ''}`;

function runSection(results: BenchResults): string {
  const { machine, settings } = results;
  const dirty = results.commit.dirty ? ' (with uncommitted changes)' : '';
  return table(
    ['Run', ''],
    [
      ['Date', results.startedAt],
      ['Commit', `${results.commit.sha}${dirty}`],
      ['CPUs', `${machine.cpus} × ${machine.cpuModel}`],
      ['Memory', `${machine.memoryGiB} GiB`],
      ['Node', machine.node],
      ['wrk', `${machine.wrk}, 1 thread, loopback`],
      [
        'Load points',
        `c = ${settings.connections.join(', ')}; ${settings.warmupS} s warm-up, ` +
          `then ${settings.durationS} s measured`,
      ],
      ['Run time', `${Math.round(results.runSeconds)} s`],
      ['Load average before the run', `${machine.loadAverageAtStart} (1 min)`],
    ],
  );
}

const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

function targetsSection(results: BenchResults): string {
  return table(
    ['Target', 'Goal', 'Measured', '', 'vs bare (goal)', ''],
    results.targets.map((check) => [
      check.name,
      check.target,
      check.measured,
      check.pass === null ? 'n/a' : check.pass ? 'met' : '**missed**',
      check.ratio ? `${percent(check.ratio.measured)} (≥ ${percent(check.ratio.goal)})` : '—',
      check.ratio ? (check.ratio.pass ? 'met' : '**missed**') : '',
    ]),
  );
}

function loadSection(results: BenchResults): string {
  const rows: string[][] = [];
  for (const p of results.bare?.points ?? [])
    rows.push(loadRow('Bare Node (limit)', '—', p, false));
  rows.push(...syncRows('W1 sync', 'embedded', results.embedded.w1));
  rows.push(...intakeRows('embedded', results.embedded.w2));
  if (results.queue.status === 'measured') {
    for (const run of results.queue.runs) {
      const mode = queueMode(run.workers);
      if (run.error) rows.push(messageRow('Queue run', mode, `failed: ${run.error}`));
      rows.push(...syncRows('W1 sync', mode, run.w1));
      rows.push(...intakeRows(mode, run.w2));
    }
  }
  return table(LOAD_HEADER, rows);
}

function executionsSection(results: BenchResults): string {
  const w2 = results.embedded.w2;
  const rows = [
    drainRow('embedded', isIntake(w2) ? w2.drain : null),
    actionsRow('embedded', results.embedded.w3),
  ];
  if (results.queue.status === 'measured') {
    for (const run of results.queue.runs) {
      rows.push(drainRow(queueMode(run.workers), 'points' in run.w2 ? run.w2.drain : null));
      rows.push(actionsRow(queueMode(run.workers), run.w3));
    }
  }
  return table(['Workload', 'Mode', 'executions', 'seconds', 'exec/s', 'notes'], rows);
}

function bigPayloadSection(results: BenchResults): string {
  const big = results.embedded.bigPayload;
  if (big.status !== 'measured') return big.reason;
  const value = big.value;
  return table(
    ['Payload', 'Via', 'Accept', 'Finish', 'Outcome', 'RSS before', 'Peak RSS', 'Peak extra'],
    [
      [
        `${(value.bytes / 1_048_576).toFixed(1)} MiB JSON`,
        value.via,
        `${value.acceptStatus} in ${n(value.acceptMs)} ms`,
        value.finishMs === null ? 'not within bound' : `${n(value.finishMs)} ms`,
        value.finalStatus,
        `${value.rssBeforeMiB} MiB`,
        `${value.peakRssMiB} MiB`,
        `${value.extraMiB} MiB = ${value.extraRatio}x payload`,
      ],
    ],
  );
}

function rssSection(results: BenchResults): string {
  const rows: string[][] = [];
  if (results.bare) rows.push(['bare Node server', 'bare', `${results.bare.peakRssMiB}`]);
  for (const [name, mib] of Object.entries(results.embedded.peakRssMiB)) {
    rows.push(['Hookflow embedded', name, `${mib}`]);
  }
  if (results.queue.status === 'measured') {
    for (const run of results.queue.runs) {
      for (const [name, mib] of Object.entries(run.peakRssMiB)) {
        rows.push([`Hookflow ${queueMode(run.workers)}`, name, `${mib}`]);
      }
    }
  }
  return table(['Process', 'Workload', 'Peak RSS MiB'], rows);
}

function anchorsSection(results: BenchResults): string {
  const bare64 = results.bare?.points.find((p) => p.connections === 64);
  const w1c64 = point(results.embedded.w1, 64);
  const w1c16 = point(results.embedded.w1, 16);
  const scale = bare64 ? ANCHORS.bareReqPerSec / bare64.requestsPerSec : null;
  const scaled = (value: number): string =>
    scale ? ` (≈ ${n(Math.round(value * scale))} scaled to the reference machine)` : '';
  const hookflow = w1c64
    ? `Hookflow W1: ${n(w1c64.requestsPerSec)} req/s at c=64${scaled(w1c64.requestsPerSec)}` +
      (w1c16 ? `; p99 ${ms(w1c16.latencyMs.p99)} ms at c=16` : '')
    : nearestWhileW1Pending(results);
  return table(
    ['System', 'Reference machine', 'This run'],
    [
      [
        'Bare Node doing W1',
        `${n(ANCHORS.bareReqPerSec)} req/s`,
        bare64 ? `${n(bare64.requestsPerSec)} req/s at c=64` : 'not measured',
      ],
      [
        'Node-RED 4.1 (persists nothing)',
        `${n(ANCHORS.nodeRedReqPerSec)} req/s; p99 ${ANCHORS.nodeRedP99MsAtC16} ms at c=16`,
        hookflow,
      ],
      ['n8n 2.40', `${n(ANCHORS.n8nReqPerSec)} req/s`, '—'],
    ],
  );
}

/** docs/BENCHMARKS.md: the run, the targets, every table, then how to read and run it. */
export function renderMarkdown(results: BenchResults): string {
  const sections: Array<[string, string]> = [
    ['Targets', targetsSection(results)],
    ['Requests per second and latency', loadSection(results)],
    ['Executions per second', executionsSection(results)],
    ['Big payload', bigPayloadSection(results)],
    ['Peak RSS per process', rssSection(results)],
    ['Anchors', anchorsSection(results)],
  ];
  if (results.notes.length > 0) {
    sections.push([
      'Skipped, pending and notes',
      results.notes.map((note) => `- ${note}`).join('\n'),
    ]);
  }
  return [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (sources in `bench/`); do not edit by hand. The same figures, ' +
      'with more detail, are in `bench/results/latest.json`.',
    '',
    runSection(results),
    '',
    ...sections.flatMap(([title, body]) => [`## ${title}`, '', body, '']),
    howToRead(results.machine.cpus),
    HOW_TO_RUN,
  ].join('\n');
}
