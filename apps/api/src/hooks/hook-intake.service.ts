import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  bigBodyMemory,
  HOOKFLOW_CONFIG,
  HookflowMetrics,
  LOGGER,
  UNKNOWN_TRIGGER,
  newId,
  redactHeaders,
  type HookflowConfig,
  type ResolvedCredential,
} from '@hookflow/common';
import {
  isoTime,
  startRun,
  type CompiledFlow,
  type JsonValue,
  type RunState,
  type TriggerData,
} from '@hookflow/engine';
import { EXECUTION_QUEUE, queueTraits, type ExecutionQueue } from '@hookflow/queue';
import {
  CompiledFlows,
  ExecutionEvents,
  ExecutionRunner,
  flowConcurrency,
  hasRespondNode,
} from '@hookflow/runner';
import {
  DeliveriesRepository,
  DuplicateDelivery,
  CredentialsService,
  ExecutionsRepository,
  FlowsRepository,
  PAYLOAD_INLINE_MAX_CHARS,
  type DedupKey,
  type DeliveryRow,
  type ExecutionEntity,
} from '@hookflow/store';
import {
  checkClientIp,
  compileIpRules,
  mediaTypeOf,
  IpRangeSet,
  clientAddressOf,
  type IpRules,
} from '@hookflow/webhooks';
import { errorBody } from '../errors/error-body';
import { dedupKeyOf } from './dedup';
import { IntakeGate, rejectionReason } from './intake-gate';
import { readRequestBody } from './read-body';
import { answeredStatusOf, syncAnswer } from './sync-answer';
import {
  checkedHeaders,
  formFields,
  signatureConfig,
  verifySender,
  type TriggerAuth,
} from './trigger-auth';
import { TriggerRateLimiter } from './trigger-rate-limiter';
import { triggerBodyOptions, triggerIpRules, triggerSettings } from './trigger-settings';

export interface IncomingDelivery {
  hookId: string;
  method: string;
  path: string;
  /** Path and query string as received (signatures over the URL need it). */
  url?: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Undefined when the request was refused before its body was read (e.g. too large). */
  rawBody?: Buffer;
  sizeBytes: number;
  receivedAt: Date;
  /** The TCP peer (a proxy, when there is one). */
  remoteAddress?: string;
}

export interface IntakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Unknown and disabled hooks answer alike, so a URL's existence cannot be probed. */
const HOOK_NOT_FOUND = errorBody(404, 'no active hook at this URL', [], 'hook_not_found');

type Refusal = { status: number; reason: string; headers?: Record<string, string> };

/** A delivery that passed its trigger's checks, as the one accept path takes it. */
export interface AcceptRequest {
  delivery: IncomingDelivery;
  flowId: string;
  versionId: string;
  flow: CompiledFlow;
  /** What the run sees; its headers are the redacted ones the delivery log keeps. */
  trigger: TriggerData;
  /**
   * The JSON text as sent, when the body was JSON: its bytes, checked as UTF-8 (see parseBody's
   * `source`), stored once as the delivery's body and the body's JSON (see beginAccept).
   */
  bodySource?: Buffer;
  dedup?: DedupKey;
  /** Wait for the run when the trigger answers `when-finished` (a replay never waits). */
  awaitOutcome: boolean;
  /** The delivery this one replays. */
  replayOf?: string;
}

export interface Accepted {
  executionId: string;
  deliveryId: string;
  answer: IntakeAnswer;
}

/** A trigger's credential as resolved for one delivery, or why it cannot be used. */
type TriggerCredential =
  | { auth: TriggerAuth; credential: ResolvedCredential; problem?: undefined }
  | { auth: TriggerAuth; credential?: undefined; problem: string };

/** The 401 for a trigger whose own setup is broken: the sender is told nothing about it. */
const SENDER_NOT_VERIFIED = 'cannot verify the sender';

/**
 * The webhook intake: check the request against its trigger, persist the delivery and a
 * pending execution in one transaction, hand the execution id to the queue, answer 202 (or, in
 * `when-finished` mode, the run's answer). Every refused delivery is logged with its reason.
 */
@Injectable()
export class HookIntakeService {
  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(ExecutionsRepository) private readonly executions: ExecutionsRepository,
    @Inject(DeliveriesRepository) private readonly deliveries: DeliveriesRepository,
    @Inject(CompiledFlows) private readonly compiled: CompiledFlows,
    @Inject(ExecutionEvents) private readonly events: ExecutionEvents,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(TriggerRateLimiter) private readonly rateLimiter: TriggerRateLimiter,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HookflowMetrics) private readonly metrics: HookflowMetrics,
    @Inject(IntakeGate) private readonly gate: IntakeGate,
    @Inject(ExecutionRunner) private readonly runner: ExecutionRunner,
  ) {
    // The configuration check used the same parser, so the trusted proxies compile.
    const proxies = compileIpRules({ trustedProxies: config.trustedProxies });
    this.proxies = proxies.ok
      ? proxies.rules
      : { allow: undefined, trustedProxies: new IpRangeSet() };
  }

  /** The configured trusted proxies, to find the client address of an unverified attempt. */
  private readonly proxies: IpRules;

  /**
   * `test`: the trigger's test URL. Runs the flow's latest version (a draft too) whether or not it
   * is enabled, never dedups (the same sample is posted again and again), and keeps the request
   * as the trigger's sample data for the editor.
   */
  async receive(delivery: IncomingDelivery, mode: 'live' | 'test' = 'live'): Promise<IntakeAnswer> {
    const target = await this.flows.findHookTarget(delivery.hookId);
    if (!target || (!target.flow.enabled && mode === 'live')) {
      const reason = target ? 'flow is disabled' : 'unknown hook';
      return this.reject(delivery, target?.flow.id ?? null, 404, reason, HOOK_NOT_FOUND);
    }
    const flowId = target.flow.id;
    // Live deliveries run the published version; the test URL tries the latest save (a draft).
    const versionId = mode === 'test' ? target.flow.latestVersionId : target.flow.currentVersionId;
    const flow = await this.compiled.load(versionId);
    if (!flow || flow.triggerId !== target.hook.nodeId) {
      const reason = 'the trigger node of this hook is no longer in the flow';
      return this.reject(delivery, flowId, 404, reason, HOOK_NOT_FOUND);
    }
    if (flow.nodes.get(flow.triggerId)?.nodeType.type !== 'trigger.webhook') {
      // A schedule trigger keeps its reserved hook (its ticks are logged under it) but no URL.
      const reason = 'this flow starts on a schedule, not on a webhook';
      return this.reject(delivery, flowId, 404, reason, HOOK_NOT_FOUND);
    }
    // With auth the limit is spent after the sender is verified (an HMAC costs microseconds):
    // forged posts spend a budget of their own, per client address, never the real sender's.
    const auth = triggerSettings(flow).auth;
    const signed = auth !== undefined;
    const found = auth ? await this.triggerCredential(auth) : undefined;
    // The header the trigger reads its token from is stored redacted, even on a refusal.
    const hidden = checkedHeaders(auth, found?.credential);
    const refusal =
      this.check(flow, delivery) ??
      (signed ? undefined : await this.rateLimited(flow, delivery.hookId));
    if (refusal) return this.refuse(delivery, flowId, refusal, hidden);
    const parsed = readRequestBody({
      method: delivery.method,
      contentType: delivery.headers['content-type'],
      raw: delivery.rawBody ?? Buffer.alloc(0),
      query: delivery.query,
      options: triggerBodyOptions(flow),
    });
    // A big body's text is garbage now: collected before the delivery is written (see
    // BigBodyMemory), where it would otherwise add its size to the write's peak.
    bigBodyMemory.afterParse(delivery.rawBody?.length ?? 0);
    if (!parsed.ok) {
      const limited = signed ? await this.unverifiedLimited(flow, delivery) : undefined;
      if (limited) return this.refuse(delivery, flowId, limited, hidden);
      const body = errorBody(parsed.status, parsed.reason, [
        { path: '/body', message: parsed.reason },
      ]);
      return this.reject(delivery, flowId, parsed.status, parsed.reason, body, undefined, {
        hidden,
      });
    }

    const sender = found && this.verifySender(found, delivery, parsed.body);
    if (sender) {
      const limited = await this.unverifiedLimited(flow, delivery);
      if (limited) return this.refuse(delivery, flowId, limited, hidden);
      // The owner's log says what is wrong; an anonymous sender learns nothing of the setup.
      const body = errorBody(401, sender.answer, [], 'unauthorized');
      return this.reject(delivery, flowId, 401, sender.reason, body, undefined, { hidden });
    }
    const verifiedLimited = signed ? await this.rateLimited(flow, delivery.hookId) : undefined;
    if (verifiedLimited) return this.refuse(delivery, flowId, verifiedLimited, hidden);

    const headers = redactHeaders(delivery.headers, hidden);
    const trigger: TriggerData = {
      method: delivery.method,
      path: delivery.path,
      headers,
      query: delivery.query,
      body: parsed.body,
      receivedAt: isoTime(delivery.receivedAt),
    };
    if (mode === 'test') {
      const sample = { method: trigger.method, headers, query: trigger.query, body: trigger.body };
      await this.flows.saveSample(delivery.hookId, sample, delivery.receivedAt);
    }
    const dedup =
      mode === 'test' ? undefined : await dedupKeyOf(flow, trigger, delivery.receivedAt);
    if (dedup === 'invalid') {
      const reason = 'the dedup expression of this trigger failed on this request';
      return this.reject(delivery, flowId, 400, reason, errorBody(400, reason), undefined, {
        hidden,
      });
    }
    const accepted = await this.accept({
      delivery,
      flowId,
      versionId,
      flow,
      trigger,
      bodySource: parsed.source,
      dedup,
      awaitOutcome: true,
    });
    return accepted.answer;
  }

  /**
   * The one "accept a delivery" path, used by the intake and by replays: the delivery row (a
   * JSON body's text as sent stored once, as the delivery's body and the body's JSON) and its
   * pending execution in one write, the intake gate's backlog count and the delivery metrics,
   * then the run handed to this process's runner or the queue.
   */
  async accept(input: AcceptRequest): Promise<Accepted> {
    const { delivery, flowId, versionId, flow, trigger, dedup } = input;
    const executionId = newId();
    const deliveryRow = this.deliveryRow(
      delivery,
      flowId,
      202,
      null,
      input.bodySource,
      trigger.headers,
    );
    if (input.replayOf !== undefined) deliveryRow.replayOf = input.replayOf;
    const settings = triggerSettings(flow);
    // Someone waits for this run's outcome (a `when-finished` trigger); else it is a background
    // run, which the embedded queue runs behind the intake while deliveries keep arriving.
    const awaited = input.awaitOutcome && settings.respond === 'when-finished';
    // Embedded: the runner in this process takes the run in the same write and starts it from
    // memory (no claim, no read). A flow with a concurrency limit goes through the claim instead.
    const inProcess = queueTraits(this.queue.kind).inProcess && flowConcurrency(flow) === undefined;
    // A background run with a big body or behind a long backlog stays on disk only (memory is
    // bounded); the runner reads it when its turn comes, still without a claim.
    const held =
      awaited ||
      (this.runner.canAdopt() && (deliveryRow.body?.length ?? 0) < PAYLOAD_INLINE_MAX_CHARS);
    const attempt = inProcess ? 1 : 0;
    const lease = inProcess
      ? { owner: this.runner.owner, until: new Date(Date.now() + this.config.leaseMs) }
      : undefined;
    // The row as written, and (embedded) as the runner takes it over.
    const execution: ExecutionEntity = {
      id: executionId,
      flowId,
      flowVersionId: versionId,
      deliveryId: deliveryRow.id,
      status: 'pending',
      state: startRun(flow, trigger, { id: executionId, flowId, versionId, attempt }),
      error: null,
      attempt,
      createdAt: delivery.receivedAt,
      startedAt: null,
      finishedAt: null,
      leaseOwner: lease?.owner ?? null,
      leaseUntil: lease?.until ?? null,
      runAfter: null,
      jobId: executionId,
      updatedAt: delivery.receivedAt,
    };
    // Subscribe before the run can start, so a fast run cannot finish unseen.
    const finished = awaited ? this.events.waitFor(executionId, settings.timeoutMs) : undefined;
    const accepting = this.executions.beginAccept({
      delivery: deliveryRow,
      ...(input.bodySource !== undefined ? { bodyJson: input.bodySource } : {}),
      dedup,
      execution,
      ...(lease ? { lease } : {}),
      // The caller's answer, known when the run finished before the accept is written: the
      // delivery row goes in with it (see AcceptInput.answeredStatus).
      ...(awaited
        ? { answeredStatus: (state: RunState) => answeredStatusOf(state, hasRespondNode(flow)) }
        : {}),
    });
    const adopt = () => {
      // A run not held in memory is read by the runner when its turn comes (EnqueueOptions.leased).
      if (!lease || !held) return;
      // The state as the runner holds it (a big body marked as stored beside it).
      execution.state = accepting.state;
      this.runner.adopt(flow, execution);
    };
    // SQLite: an awaited run starts now, before the accept is durable, so that its pure nodes run
    // and its writes join the same group commit (one write answers the caller). It cannot get
    // ahead of the accept: its every write (the checkpoint before a side effect, the final record)
    // is guarded by the lease the accept writes, and commits after it or not at all (a duplicate).
    const early = lease !== undefined && awaited && this.executions.writesInOrder;
    if (early) {
      adopt();
      void this.queue.enqueue(executionId);
    }
    try {
      await accepting.committed;
    } catch (error) {
      if (finished) this.events.abandon(executionId);
      if (!(error instanceof DuplicateDelivery)) throw error;
      this.metrics.delivery(delivery.hookId, { status: 'deduplicated' });
      return {
        executionId: error.executionId,
        deliveryId: deliveryRow.id,
        answer: await this.duplicate(deliveryRow, error.executionId),
      };
    }
    this.metrics.delivery(delivery.hookId, { status: 'accepted' });
    this.gate.accepted();
    if (!early) {
      adopt();
      // Not awaited: the row is committed, so the run happens even if this add is lost (the
      // reconciler, or the next start, finds it); a slow Redis must not slow down the answer.
      const leased = lease !== undefined && !held;
      this.queue.enqueue(executionId, { background: !awaited, leased }).catch((error: unknown) => {
        this.logger.warn({ err: error, executionId }, 'enqueue failed; the reconciler will retry');
      });
    }
    const answer = finished
      ? syncAnswer(executionId, await finished)
      : { status: 202, body: { executionId } };
    if (answer.status !== accepting.deliveryStatus()) {
      this.recordAnswered(deliveryRow.id, answer.status);
    }
    return { executionId, deliveryId: deliveryRow.id, answer };
  }

  /** The delivery log shows the status answered; not awaited, the answer does not wait for it. */
  private recordAnswered(deliveryId: string, status: number): void {
    this.deliveries.recordAnswered(deliveryId, status).catch((error: unknown) => {
      this.logger.error({ err: error, deliveryId }, 'could not record the status answered');
    });
  }

  /** Method, client address and size, per the trigger's settings. */
  private check(flow: CompiledFlow, delivery: IncomingDelivery): Refusal | undefined {
    const settings = triggerSettings(flow);
    if (!settings.methods.includes(delivery.method)) {
      return {
        status: 405,
        reason: `method ${delivery.method} is not accepted: use ${settings.methods.join(', ')}`,
        headers: { allow: settings.methods.join(', ') },
      };
    }
    const rules = triggerIpRules(flow, this.config.trustedProxies);
    if (rules) {
      const client = checkClientIp(rules, {
        peerAddress: delivery.remoteAddress ?? '',
        forwardedFor: delivery.headers['x-forwarded-for'],
      });
      if (!client.ok) return { status: 403, reason: client.reason };
    }
    const size = delivery.rawBody?.length ?? 0;
    if (settings.maxBodyBytes !== undefined && size > settings.maxBodyBytes) {
      return { status: 413, reason: `body is larger than ${settings.maxBodyBytes} bytes` };
    }
    return undefined;
  }

  /** The trigger's rate limit, spent under `key`: a 429 refusal once the budget is gone. */
  private async rateLimited(flow: CompiledFlow, key: string): Promise<Refusal | undefined> {
    const limit = triggerSettings(flow).rateLimit;
    if (!limit) return undefined;
    const verdict = await this.rateLimiter.consume(key, limit);
    if (verdict.ok) return undefined;
    return {
      status: 429,
      reason: `more than ${limit.requests} deliveries in ${limit.perSeconds} s`,
      headers: { 'retry-after': String(verdict.retryAfterSeconds) },
    };
  }

  /** Attempts that failed verification: the same limit, per trigger and client address. */
  private unverifiedLimited(
    flow: CompiledFlow,
    delivery: IncomingDelivery,
  ): Promise<Refusal | undefined> {
    const address =
      clientAddressOf(this.proxies, {
        peerAddress: delivery.remoteAddress ?? '',
        forwardedFor: delivery.headers['x-forwarded-for'],
      }) || 'unknown';
    return this.rateLimited(flow, `unverified:${delivery.hookId}:${address}`);
  }

  private refuse(
    delivery: IncomingDelivery,
    flowId: string,
    refusal: Refusal,
    hidden: readonly string[] = [],
  ): Promise<IntakeAnswer> {
    const body = errorBody(refusal.status, refusal.reason);
    return this.reject(delivery, flowId, refusal.status, refusal.reason, body, refusal.headers, {
      hidden,
    });
  }

  /** The trigger's credential, or what keeps it from being used (for the owner's log). */
  private async triggerCredential(auth: TriggerAuth): Promise<TriggerCredential> {
    const name = auth.credential;
    try {
      const credential = await this.credentials.resolve(name);
      if (credential) return { auth, credential };
      return { auth, problem: `credential "${name}" does not exist` };
    } catch (error) {
      this.logger.error({ err: error, credential: name }, 'trigger credential unreadable');
      return { auth, problem: `credential "${name}" cannot be read` };
    }
  }

  /**
   * Checks the trigger's auth (signature, token, basic): undefined when the sender is verified,
   * else the reason for the owner's delivery log and what the 401 tells the sender. A verifier's
   * reason (a missing header, a stale timestamp) helps an honest sender and quotes no secret; a
   * problem with the trigger's own setup is the owner's business only.
   */
  private verifySender(
    found: TriggerCredential,
    delivery: IncomingDelivery,
    body: JsonValue,
  ): { reason: string; answer: string } | undefined {
    const setupProblem = (problem: string) => ({
      reason: `cannot verify the sender: ${problem}`,
      answer: SENDER_NOT_VERIFIED,
    });
    if (!found.credential) return setupProblem(found.problem);
    const requestUrl = `${this.config.publicUrl}${delivery.url ?? delivery.path}`;
    const config = signatureConfig(found.auth, found.credential, requestUrl);
    if (typeof config === 'string') return setupProblem(config);
    const form =
      mediaTypeOf(delivery.headers['content-type']) === 'application/x-www-form-urlencoded'
        ? formFields(body)
        : undefined;
    const verdict = verifySender(config, {
      method: delivery.method,
      url: requestUrl,
      headers: delivery.headers,
      rawBody: delivery.rawBody ?? Buffer.alloc(0),
      ...(form ? { form } : {}),
    });
    return verdict.ok ? undefined : { reason: verdict.reason, answer: verdict.reason };
  }

  /** A retry of a delivery we already have: same answer, no second run. */
  private async duplicate(deliveryRow: DeliveryRow, executionId: string): Promise<IntakeAnswer> {
    await this.deliveries
      .logRejected({ ...deliveryRow, reason: 'duplicate of an earlier delivery', executionId })
      .catch((error: unknown) => this.logger.error({ err: error }, 'delivery log failed'));
    return { status: 202, body: { executionId, duplicate: true } };
  }

  /**
   * A request refused before its body was read (too slow, too many at once from one client):
   * logged under its hook when the hook exists, counted either way. Never throws.
   */
  async refuseUnread(delivery: IncomingDelivery, status: number, reason: string): Promise<void> {
    const target = await this.flows.findHookTarget(delivery.hookId).catch(() => undefined);
    await this.reject(delivery, target?.flow.id ?? null, status, reason, null, undefined, {
      logUnknown: false,
    });
  }

  /** Logs a refused delivery; a failure to log never changes the answer. */
  async reject(
    delivery: IncomingDelivery,
    flowId: string | null,
    status: number,
    reason: string,
    body: unknown,
    headers?: Record<string, string>,
    /** `hidden`: headers the trigger reads a token from (see `checkedHeaders`), stored redacted. */
    options: { logUnknown?: boolean; hidden?: readonly string[] } = {},
  ): Promise<IntakeAnswer> {
    // Only hooks that exist get their own series: unknown ids must not grow the label set.
    const trigger = flowId === null ? UNKNOWN_TRIGGER : delivery.hookId;
    this.metrics.delivery(trigger, { status: 'rejected', reason: rejectionReason(status) });
    if (flowId === null && options.logUnknown === false) return { status, body, headers };
    try {
      await this.deliveries.logRejected({
        ...this.deliveryRow(
          delivery,
          flowId,
          status,
          reason,
          undefined,
          redactHeaders(delivery.headers, options.hidden),
        ),
        executionId: null,
      });
    } catch (error) {
      this.logger.error(
        { err: error, hookId: delivery.hookId },
        'could not log a refused delivery',
      );
    }
    this.logger.info({ hookId: delivery.hookId, status, reason }, 'delivery refused');
    return { status, body, headers };
  }

  private deliveryRow(
    delivery: IncomingDelivery,
    flowId: string | null,
    status: number,
    reason: string | null,
    /** The body's text as checked UTF-8 bytes, when the caller has them (saves a copy). */
    text?: Buffer,
    /** The headers already redacted, when the caller has them. */
    redacted?: Record<string, string>,
  ): DeliveryRow {
    return {
      id: newId(),
      hookId: delivery.hookId.slice(0, 64),
      flowId,
      receivedAt: delivery.receivedAt,
      method: delivery.method.slice(0, 10),
      headers: redacted ?? redactHeaders(delivery.headers),
      query: delivery.query,
      contentType: delivery.headers['content-type']?.slice(0, 200) ?? null,
      sizeBytes: delivery.sizeBytes,
      body: text ?? (delivery.rawBody ? delivery.rawBody.toString('utf8') : null),
      replayOf: null,
      status,
      reason: reason?.slice(0, 500) ?? null,
    };
  }
}
