import type { WrkRun } from './wrk';

export type { WrkRun };

/** A wrk point plus its ratio to the bare baseline at the same concurrency. */
export interface LoadPoint extends WrkRun {
  ratioToBare: number | null;
  /** CPU the server process used during the measured run, in % of one core. */
  serverCpuPercent: number | null;
  /** Cores the whole machine kept busy meanwhile (wrk, servers, and anyone else's work). */
  machineBusyCores: number | null;
}

export type SyncResult =
  | { status: 'measured'; points: LoadPoint[]; failedRuns: number; firstError?: string }
  | { status: 'pending' | 'failed' | 'skipped'; reason: string };

export interface DrainResult {
  backlogAtStart: number;
  drained: number;
  seconds: number;
  perSec: number;
  /** The backlog reached zero within the bound. */
  emptied: boolean;
  backlogLeft: number;
  failed: number;
}

export interface IntakeResult {
  points: LoadPoint[];
  drain: DrainResult | null;
}

export interface ActionsResult {
  /** Deliveries wrk counted as answered with status < 400. */
  accepted: number;
  postSeconds: number;
  /** Executions not finished when wrk stopped posting. */
  backlogAtPostEnd: number;
  succeeded: number;
  failed: number;
  sinkReceived: number;
  /** From the first POST to the last execution finished (or the bound). */
  seconds: number;
  execPerSec: number;
  complete: boolean;
}

export interface BigPayloadResult {
  via: 'W1' | 'W2';
  bytes: number;
  acceptStatus: number;
  acceptMs: number;
  /** Until the execution finished (W2) or the answer arrived (W1). */
  finishMs: number | null;
  finalStatus: string;
  rssBeforeMiB: number;
  peakRssMiB: number;
  extraMiB: number;
  /** Peak extra RSS divided by the payload size. */
  extraRatio: number;
}

export type Outcome<T> =
  { status: 'measured'; value: T } | { status: 'skipped' | 'failed'; reason: string };

export interface QueueRun {
  workers: number;
  w1: SyncResult;
  w2: IntakeResult | { status: 'failed'; reason: string };
  w3: Outcome<ActionsResult>;
  /** Set when the run broke off (a process did not start, ...): the first line of the error. */
  error?: string;
  /** Peak RSS (MiB) per process over the run: api, worker-1, ... */
  peakRssMiB: Record<string, number>;
  /**
   * What the API's log says about non-2xx answers of the run (the intake gate's 503 refusals,
   * which name their cause: the queue ceiling or the intake concurrency), when there were any.
   */
  refusals?: string;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  pass: boolean | null;
  /**
   * Throughput targets: the figure as a share of the bare baseline at the same concurrency in
   * this run, and the goal as the same share of the reference bare figure. Absolute
   * figures move with the machine; the ratio travels.
   */
  ratio?: { measured: number; goal: number; pass: boolean };
}

export interface BenchResults {
  schema: 'hookflow.bench/v1';
  startedAt: string;
  finishedAt: string;
  runSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    wrk: string;
    platform: string;
    /** 1-minute load average before the run (before the build): others' work skews every figure. */
    loadAverageAtStart: number;
  };
  commit: { sha: string; dirty: boolean };
  settings: {
    threads: 1;
    connections: number[];
    warmupS: number;
    durationS: number;
    w3Deliveries: number;
    bigPayloadBytes: number;
  };
  bare: { points: LoadPoint[]; peakRssMiB: number } | null;
  embedded: {
    w1: SyncResult;
    w2: IntakeResult | { status: 'failed' | 'skipped'; reason: string };
    w3: Outcome<ActionsResult>;
    bigPayload: Outcome<BigPayloadResult>;
    /** Peak RSS (MiB) of each embedded Hookflow process, by workload. */
    peakRssMiB: Record<string, number>;
  };
  queue:
    { status: 'measured'; runs: QueueRun[] } | { status: 'skipped' | 'failed'; reason: string };
  targets: TargetCheck[];
  notes: string[];
}
