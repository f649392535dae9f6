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
import { DeliveriesService } from './deliveries.service';
import { DeliveryReplayService } from './delivery-replay.service';
import { DeliveryListQueryDto, FlowDeliveryListQueryDto } from './dto/delivery-list-query.dto';
import { ReplayDeliveryDto } from './dto/replay-delivery.dto';

const deliveryId = new ParseUUIDPipe({ exceptionFactory: () => notFound('delivery') });
const flowId = new ParseUUIDPipe({ exceptionFactory: () => notFound('flow') });

@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api')
export class DeliveriesController {
  constructor(
    @Inject(DeliveriesService) private readonly deliveries: DeliveriesService,
    @Inject(DeliveryReplayService) private readonly replays: DeliveryReplayService,
  ) {}

  @Get('deliveries')
  @ApiOperation({
    summary: 'Deliveries received on hooks, newest first; filter by flow, hook, status, accepted',
  })
  list(@Query() query: DeliveryListQueryDto) {
    return this.deliveries.list(query);
  }

  @Get('deliveries/:id')
  @ApiOperation({
    summary: 'One delivery with its (redacted) headers, query and body (capped at 1 MiB)',
  })
  get(@Param('id', deliveryId) id: string) {
    return this.deliveries.get(id);
  }

  @Post('deliveries/:id/replay')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Run the delivery again as a new delivery and execution, on the flow's current version " +
      '(default) or the version its original execution ran',
  })
  replay(@Param('id', deliveryId) id: string, @Body() body: ReplayDeliveryDto) {
    return this.replays.replay(id, body.version ?? 'current');
  }

  @Get('flows/:id/deliveries')
  @ApiOperation({ summary: "A flow's deliveries, newest first (same filters as /api/deliveries)" })
  listForFlow(@Param('id', flowId) id: string, @Query() query: FlowDeliveryListQueryDto) {
    return this.deliveries.list({ ...query, flowId: id });
  }
}
