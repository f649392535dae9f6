import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Database } from '@hookflow/store';
import { EXECUTION_QUEUE, ReadinessChecks, type ExecutionQueue } from '@hookflow/queue';
import { Public } from '../auth/scopes';

/** Probes carry no credentials: every health route is public. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
    @Inject(HealthCheckService) private readonly terminus: HealthCheckService,
    @Inject(ReadinessChecks) private readonly readiness: ReadinessChecks,
  ) {}

  /** 200 also while shutting down (see ReadinessChecks.live); readiness says 503 then. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  live(): HealthCheckResult {
    return this.readiness.live().body;
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database, migrations applied, Redis (queue mode), queue; 503 when not',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const answer = await this.readiness.answer(this.terminus, this.readiness.indicators());
    void reply.status(answer.status);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'Liveness and dependencies; 503 when the database is unreachable' })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [databaseUp, queueUp] = await Promise.all([
      this.database.isHealthy(),
      this.queue.isHealthy(),
    ]);
    const depth = queueUp ? await this.queue.depth().catch(() => undefined) : undefined;
    // Without the database nothing is accepted. Without Redis deliveries are still accepted
    // (the reconciler enqueues them later), so the process is degraded, not down.
    void reply.status(databaseUp ? 200 : 503);
    return {
      status: !databaseUp ? 'unavailable' : queueUp ? 'ok' : 'degraded',
      database: { kind: this.database.kind, status: databaseUp ? 'up' : 'down' },
      queue: { kind: this.queue.kind, status: queueUp ? 'up' : 'down', ...depth },
    };
  }
}
