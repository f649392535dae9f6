import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppError, notFound } from '@hookflow/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ImportQueryDto, PageQueryDto } from '../common/list-query.dto';
import { CreateFlowDto, FlowDocumentDto } from './dto/flow-document.dto';
import {
  DiffQueryDto,
  ExportQueryDto,
  PublishDto,
  SaveFlowDto,
  SaveOptionsDto,
} from './dto/flow-version.dto';
import { FlowTransferService } from './flow-transfer.service';
import { FlowsService, parseIfMatch, type SaveRequest } from './flows.service';

const flowId = new ParseUUIDPipe({ exceptionFactory: () => notFound('flow') });
const versionNumber = new ParseIntPipe({ exceptionFactory: () => notFound('version') });

const STALE_BASE = {
  status: 409,
  description:
    'version_conflict: the base is not the latest version; `error.base` and `error.current` ' +
    'carry both (version, id, author, message, createdAt, document). Nothing was saved.',
};

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The version the save is based on, e.g. "3" (same as `baseVersion`)',
};

/** The save's base from the body or the If-Match header; both given must agree. */
function saveRequest(
  options: SaveOptionsDto,
  ifMatch: string | undefined,
  who: Principal | undefined,
): SaveRequest {
  const fromHeader = parseIfMatch(ifMatch);
  if (
    fromHeader !== undefined &&
    options.baseVersion !== undefined &&
    fromHeader !== options.baseVersion
  ) {
    throw new AppError(400, 'invalid_base_version', 'If-Match and baseVersion disagree', [
      { path: '/baseVersion', message: `If-Match says ${fromHeader}` },
    ]);
  }
  return {
    baseVersion: options.baseVersion ?? fromHeader,
    author: who?.name,
    message: options.message,
    draft: options.draft,
  };
}

/** The latest version as an entity tag, for clients that speak HTTP preconditions. */
function tagged<T extends { version: number }>(reply: FastifyReply, flow: T): T {
  void reply.header('etag', `"${flow.version}"`);
  return flow;
}

@ApiTags('flows')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/flows')
export class FlowsController {
  constructor(
    @Inject(FlowsService) private readonly flows: FlowsService,
    @Inject(FlowTransferService) private readonly transfer: FlowTransferService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a flow from a flow document (enabled unless `enabled: false`)' })
  create(@Body() body: CreateFlowDto, @CurrentPrincipal() who: Principal | undefined) {
    return this.flows.create(body, body.enabled ?? true, {
      author: who?.name,
      message: body.message,
    });
  }

  @Post('import')
  @ApiOperation({
    summary:
      'Import an exported flow: keeps its flow id and hook ids unless taken here (remapped, ' +
      'reported); saved disabled when it names a credential this installation lacks',
  })
  import(
    @Body() body: FlowDocumentDto,
    @Query() query: ImportQueryDto,
    @CurrentPrincipal() who: Principal | undefined,
  ) {
    return this.transfer.import(body, query.enabled ?? true, who?.name);
  }

  @Get()
  @ApiOperation({ summary: 'List flows, newest first' })
  list(@Query() query: PageQueryDto) {
    return this.flows.list(query.limit ?? 50, query.offset ?? 0);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow with its latest document, published version and trigger URLs' })
  async get(@Param('id', flowId) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return tagged(reply, await this.flows.get(id));
  }

  @Get(':id/sample')
  @ApiOperation({
    summary: 'Requests captured on the test URLs (/hooks-test/<hookId>): sample data',
  })
  sample(@Param('id', flowId) id: string) {
    return this.flows.sample(id);
  }

  @Get(':id/export')
  @ApiOperation({
    summary: 'The flow document with its flow id and hook ids, ready for import elsewhere',
  })
  async export(
    @Param('id', flowId) id: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { text, fileName } = await this.transfer.export(id, query.version);
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`);
    return text;
  }

  @Put(':id')
  @ApiHeader(IF_MATCH)
  @ApiResponse(STALE_BASE)
  @ApiOperation({
    summary:
      'Save the document as a new immutable version (published unless `draft: true`); ' +
      'a stale `baseVersion` / If-Match answers 409 version_conflict',
  })
  async update(
    @Param('id', flowId) id: string,
    @Body() body: SaveFlowDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() who: Principal | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return tagged(reply, await this.flows.update(id, body, saveRequest(body, ifMatch, who)));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a version (default: the latest) the one deliveries run' })
  publish(@Param('id', flowId) id: string, @Body() body: PublishDto) {
    return this.flows.publish(id, body.version);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'The version history, newest first (without documents)' })
  versions(@Param('id', flowId) id: string, @Query() query: PageQueryDto) {
    return this.flows.versions(id, query.limit ?? 50, query.offset ?? 0);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version with its document' })
  version(@Param('id', flowId) id: string, @Param('version', versionNumber) version: number) {
    return this.flows.getVersion(id, version);
  }

  @Post(':id/versions/:version/restore')
  @HttpCode(200)
  @ApiHeader(IF_MATCH)
  @ApiResponse(STALE_BASE)
  @ApiOperation({
    summary: 'Save an old version as the new latest version (same draft/publish rule as PUT)',
  })
  async restore(
    @Param('id', flowId) id: string,
    @Param('version', versionNumber) version: number,
    @Body() body: SaveOptionsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() who: Principal | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return tagged(reply, await this.flows.restore(id, version, saveRequest(body, ifMatch, who)));
  }

  @Get(':id/diff')
  @ApiOperation({ summary: 'Node-level diff of two versions: nodes, edges, changed parameters' })
  diff(@Param('id', flowId) id: string, @Query() query: DiffQueryDto) {
    return this.flows.diff(id, query.from, query.to);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id', flowId) id: string) {
    return this.flows.setEnabled(id, true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id', flowId) id: string) {
    return this.flows.setEnabled(id, false);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', flowId) id: string): Promise<void> {
    await this.flows.delete(id);
  }
}
