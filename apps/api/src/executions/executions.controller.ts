import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@hookflow/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ExecutionListQueryDto } from '../common/list-query.dto';
import { DeliveryReplayService } from '../deliveries/delivery-replay.service';
import { ReplayDeliveryDto } from '../deliveries/dto/replay-delivery.dto';
import { ExecutionsService } from './executions.service';

const executionId = new ParseUUIDPipe({ exceptionFactory: () => notFound('execution') });

@ApiTags('executions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/executions')
export class ExecutionsController {
  constructor(
    @Inject(ExecutionsService) private readonly executions: ExecutionsService,
    @Inject(DeliveryReplayService) private readonly replays: DeliveryReplayService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Executions, newest first; filter by flowId and status' })
  list(@Query() query: ExecutionListQueryDto) {
    return this.executions.list(query);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending, waiting or running execution (409 when finished)' })
  cancel(@Param('id', executionId) id: string) {
    return this.executions.cancel(id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Run the same trigger input again as a new execution, on the version this run used ' +
      "(default) or the flow's current version; the original stays as it was",
  })
  async retry(@Param('id', executionId) id: string, @Body() body: ReplayDeliveryDto) {
    const deliveryId = await this.executions.deliveryOf(id);
    return this.replays.replay(deliveryId, body.version ?? 'original');
  }

  @Get(':id')
  @ApiOperation({ summary: "An execution with every node's input, output, timing and error" })
  get(@Param('id', executionId) id: string) {
    return this.executions.get(id);
  }
}
