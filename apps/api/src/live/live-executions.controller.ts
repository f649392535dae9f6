import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { LiveExecutionsService } from './live-executions.service';

export class LiveQueryDto {
  @IsUUID()
  flowId!: string;
}

/**
 * `GET /api/executions/stream?flowId=`: server-sent events (`ready`, then one `execution` event per
 * new execution or status change, newest 20 first sent on connect). Authenticated like every
 * /api route with `Authorization: Bearer`; the editor reads it with fetch streaming, so the key
 * never appears in a URL or an access log.
 */
@ApiTags('executions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/executions')
export class LiveExecutionsController {
  constructor(@Inject(LiveExecutionsService) private readonly live: LiveExecutionsService) {}

  @Get('stream')
  @ApiOperation({ summary: 'Server-sent events: executions of a flow as they start and change' })
  stream(@Query() query: LiveQueryDto, @Res() reply: FastifyReply): void {
    this.live.assertCapacity();
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stop = this.live.watch(query.flowId, {
      write: (chunk) => reply.raw.write(chunk),
      end: () => reply.raw.end(),
    });
    reply.raw.on('close', stop);
  }
}
