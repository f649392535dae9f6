import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppError, LOGGER, newId, notFound } from '@hookflow/common';
import {
  compareDryRun,
  type ComparedStep,
  type CompiledFlow,
  type DeliveryComparison,
} from '@hookflow/engine';
import {
  CompiledFlows,
  DEFAULT_STAND_IN,
  DryRunner,
  type AddressCheck,
  type StandInResponse,
} from '@hookflow/runner';
import {
  DeliveriesRepository,
  DryRunsRepository,
  ExecutionsRepository,
  FlowsRepository,
  type DryRunCounts,
  type DryRunDeliveryEntity,
  type DryRunEntity,
  type FlowVersionEntity,
} from '@hookflow/store';
import { selectDeliveries, type DryRunItem } from './dry-run-selection';
import { presentDryRun, type DryRunView } from './dry-run.presenter';
import type { CreateDryRunDto, DryRunQueryDto, StandInDto } from './dto/create-dry-run.dto';

/** A dry run and its comparisons are kept this long. */
export const DRY_RUN_TTL_MS = 24 * 60 * 60 * 1000;
/** Comparisons are written (and progress shown) in batches of this many deliveries. */
const BATCH = 25;
/** Dry runs share the API process with the intake: a few at a time, the rest asked to wait. */
const MAX_RUNNING = 4;

interface Job {
  run: DryRunEntity;
  draft: CompiledFlow;
  baseline: CompiledFlow;
  items: DryRunItem[];
  standIn: StandInResponse;
}

function standInOf(dto: StandInDto | undefined): StandInResponse {
  if (!dto) return DEFAULT_STAND_IN;
  return {
    status: dto.status ?? DEFAULT_STAND_IN.status,
    headers: {
      ...DEFAULT_STAND_IN.headers,
      ...Object.fromEntries(
        Object.entries(dto.headers ?? {}).map(([name, value]) => [
          name.toLowerCase(),
          String(value),
        ]),
      ),
    },
    body: dto.body === undefined ? DEFAULT_STAND_IN.body : JSON.stringify(dto.body),
  };
}

/** A recorded step as the comparison reads it (a retrying attempt is not an outcome). */
function comparedStep(step: {
  nodeId: string;
  status: string;
  output: ComparedStep['output'] | null;
  error: ComparedStep['error'] | null;
}): ComparedStep[] {
  if (step.status === 'succeeded') {
    return [{ nodeId: step.nodeId, status: 'succeeded', output: step.output ?? null }];
  }
  if (step.status === 'failed' && step.error) {
    return [{ nodeId: step.nodeId, status: 'failed', error: step.error }];
  }
  return [];
}

/**
 * Safe publish: tries a flow version on recorded deliveries with side effects held back, and
 * compares each with the published version. Runs in this process in the background; nothing it
 * does reaches the execution history, the metrics or the network.
 */
@Injectable()
export class DryRunsService implements BeforeApplicationShutdown {
  private readonly running = new Set<string>();
  private stopping = false;

  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(DryRunsRepository) private readonly dryRuns: DryRunsRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(DryRunner) private readonly runner: DryRunner,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(flowId: string, dto: CreateDryRunDto, author?: string): Promise<DryRunView> {
    const found = await this.flows.get(flowId);
    if (!found) throw notFound('flow');
    if (this.running.size >= MAX_RUNNING) {
      throw new AppError(429, 'too_many_dry_runs', `${MAX_RUNNING} dry runs are running already`, [
        { path: '/', message: 'try again when one of them has finished' },
      ]);
    }
    const target =
      dto.version === undefined
        ? found.latest
        : await this.flows.getVersionByNumber(flowId, dto.version);
    if (!target) throw notFound('version');
    const draft = this.compile(target, '/version');
    const baseline = this.compile(found.version, '/');
    const { items, selection } = await selectDeliveries(flowId, dto, this.deliveries);
    if (items.length === 0) {
      throw new AppError(422, 'no_deliveries', 'no recorded deliveries match the selection', [
        { path: '/', message: 'send deliveries to the flow first, or paste `samples`' },
      ]);
    }
    await this.dryRuns.purgeExpired();
    const now = new Date();
    const run: DryRunEntity = {
      id: newId(),
      flowId,
      versionId: target.id,
      version: target.version,
      baselineVersionId: found.version.id,
      baselineVersion: found.version.version,
      status: 'running',
      selection,
      total: items.length,
      done: 0,
      unchanged: 0,
      changed: 0,
      failed: 0,
      error: null,
      createdBy: author ?? null,
      createdAt: now,
      finishedAt: null,
      expiresAt: new Date(now.getTime() + DRY_RUN_TTL_MS),
    };
    await this.dryRuns.create(run);
    this.running.add(run.id);
    void this.work({ run, draft, baseline, items, standIn: standInOf(dto.standIn) });
    return presentDryRun(run);
  }

  async get(flowId: string, id: string, query: DryRunQueryDto): Promise<DryRunView> {
    const run = await this.dryRuns.get(flowId, id);
    if (!run) throw notFound('dry run');
    const page = await this.dryRuns.deliveries(id, {
      limit: query.limit ?? 1_000,
      offset: query.offset ?? 0,
      ...(query.verdict ? { verdict: query.verdict } : {}),
    });
    return presentDryRun(run, page);
  }

  async list(flowId: string): Promise<{ items: DryRunView[] }> {
    if (!(await this.flows.get(flowId))) throw notFound('flow');
    const runs = await this.dryRuns.list(flowId, 20);
    return { items: runs.map((run) => presentDryRun(run)) };
  }

  /** Before the database closes: a dry run cut short says so instead of staying `running`. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const id of this.running) {
      await this.dryRuns
        .finish(id, 'failed', 'the server stopped during the dry run')
        .catch((error: unknown) => this.logger.warn({ err: error, dryRunId: id }, 'not marked'));
    }
  }

  private compile(version: FlowVersionEntity, path: string): CompiledFlow {
    try {
      return this.compiled.compile(version.id, version.document);
    } catch (error) {
      throw new AppError(422, 'version_invalid', `version ${version.version} does not compile`, [
        { path, message: error instanceof Error ? error.message : String(error) },
      ]);
    }
  }

  private async work(job: Job): Promise<void> {
    const { run } = job;
    const counts: DryRunCounts = { done: 0, unchanged: 0, changed: 0, failed: 0 };
    const addresses = this.runner.addressCheck();
    try {
      let batch: DryRunDeliveryEntity[] = [];
      for (const [position, item] of job.items.entries()) {
        if (this.stopping) return;
        const comparison = await this.compareOne(job, item, position, addresses);
        counts.done += 1;
        counts[comparison.verdict] += 1;
        batch.push({
          dryRunId: run.id,
          position,
          deliveryId: item.deliveryId,
          executionId: item.executionId,
          receivedAt: item.receivedAt,
          verdict: comparison.verdict,
          comparison,
        });
        if (batch.length === BATCH || position === job.items.length - 1) {
          await this.dryRuns.progress(run.id, { ...counts }, batch);
          batch = [];
        }
      }
      await this.dryRuns.finish(run.id, 'finished');
      this.logger.info({ dryRunId: run.id, flowId: run.flowId, ...counts }, 'dry run finished');
    } catch (error) {
      this.logger.error({ err: error, dryRunId: run.id }, 'dry run failed');
      await this.dryRuns
        .finish(run.id, 'failed', error instanceof Error ? error.message.slice(0, 500) : 'failed')
        .catch(() => undefined);
    } finally {
      this.running.delete(run.id);
    }
  }

  /** The draft's dry run of one delivery against its recorded run and the published version's. */
  private async compareOne(
    job: Job,
    item: DryRunItem,
    position: number,
    addresses: AddressCheck,
  ): Promise<DeliveryComparison> {
    if (item.unreadable !== undefined) {
      const error = { code: 'body_unreadable', message: item.unreadable };
      return { verdict: 'failed', error, nodes: [], sideEffects: [] };
    }
    const recorded = item.executionId
      ? (await this.executions.steps(item.executionId)).flatMap(comparedStep)
      : undefined;
    // Both dry runs share one id: their idempotency keys (and so their requests) compare equal.
    const execution = {
      id: `dry-run:${job.run.id}:${position}`,
      flowId: job.run.flowId,
      attempt: 1,
    };
    const common = { trigger: item.trigger, recorded, standIn: job.standIn, addresses };
    const published = await this.runner.run({
      ...common,
      flow: job.baseline,
      execution: { ...execution, versionId: job.run.baselineVersionId },
    });
    const draft = await this.runner.run({
      ...common,
      flow: job.draft,
      execution: { ...execution, versionId: job.run.versionId },
    });
    return compareDryRun({
      baselineSteps: recorded && recorded.length > 0 ? recorded : published.steps,
      baselineSideEffects: published.sideEffects,
      draft,
    });
  }
}
