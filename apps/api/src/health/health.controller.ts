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
    const databaseUp = await this.database.isHealthy();
    void reply.status(databaseUp ? 200 : 503);
    return {
      status: databaseUp ? 'ok' : 'unavailable',
      database: { kind: this.database.kind, status: databaseUp ? 'up' : 'down' },
      queue: { kind: 'inline', ...this.queue.depth() },
    };
  }
}
