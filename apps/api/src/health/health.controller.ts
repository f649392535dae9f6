import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Database } from '@hookflow/store';
import { EXECUTION_QUEUE, type ExecutionQueue } from '@hookflow/queue';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(EXECUTION_QUEUE) private readonly queue: ExecutionQueue,
  ) {}

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
