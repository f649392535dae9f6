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
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@hookflow/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { DryRunsService } from './dry-runs.service';
import { CreateDryRunDto, DryRunQueryDto } from './dto/create-dry-run.dto';

const flowId = new ParseUUIDPipe({ exceptionFactory: () => notFound('flow') });
const runId = new ParseUUIDPipe({ exceptionFactory: () => notFound('dry run') });

@ApiTags('dry-runs')
@ApiBearerAuth()
@Controller('api/flows/:id/dry-runs')
export class DryRunsController {
  constructor(@Inject(DryRunsService) private readonly dryRuns: DryRunsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Try a version (default: the latest draft) on recorded deliveries with side effects held ' +
      'back, compared with the published version; runs in the background',
  })
  start(
    @Param('id', flowId) id: string,
    @Body() body: CreateDryRunDto,
    @CurrentPrincipal() who: Principal | undefined,
  ) {
    return this.dryRuns.start(id, body, who?.name);
  }

  @Get()
  @ApiOperation({ summary: "The flow's dry runs of the last day, newest first (no comparisons)" })
  list(@Param('id', flowId) id: string) {
    return this.dryRuns.list(id);
  }

  @Get(':runId')
  @ApiOperation({
    summary: 'Progress, the summary (unchanged / changed / failed) and each delivery’s comparison',
  })
  get(
    @Param('id', flowId) id: string,
    @Param('runId', runId) run: string,
    @Query() query: DryRunQueryDto,
  ) {
    return this.dryRuns.get(id, run, query);
  }
}
