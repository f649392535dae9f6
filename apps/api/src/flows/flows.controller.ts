import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@hookflow/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ImportQueryDto, PageQueryDto } from '../common/list-query.dto';
import { CreateFlowDto, FlowDocumentDto } from './dto/flow-document.dto';
import { FlowsService } from './flows.service';

const flowId = new ParseUUIDPipe({ exceptionFactory: () => notFound('flow') });

@ApiTags('flows')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/flows')
export class FlowsController {
  constructor(@Inject(FlowsService) private readonly flows: FlowsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a flow from a flow document (enabled unless `enabled: false`)' })
  create(@Body() body: CreateFlowDto) {
    return this.flows.create(body, body.enabled ?? true);
  }

  @Post('import')
  @ApiOperation({ summary: 'Import an exported flow document as a new flow' })
  import(@Body() body: FlowDocumentDto, @Query() query: ImportQueryDto) {
    return this.flows.create(body, query.enabled ?? true);
  }

  @Get()
  @ApiOperation({ summary: 'List flows, newest first' })
  list(@Query() query: PageQueryDto) {
    return this.flows.list(query.limit ?? 50, query.offset ?? 0);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow with its current document and trigger URLs' })
  get(@Param('id', flowId) id: string) {
    return this.flows.get(id);
  }

  @Get(':id/sample')
  @ApiOperation({
    summary: 'Requests captured on the test URLs (/hooks-test/<hookId>): sample data',
  })
  sample(@Param('id', flowId) id: string) {
    return this.flows.sample(id);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'The flow document, ready for import elsewhere' })
  export(@Param('id', flowId) id: string) {
    return this.flows.export(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace the document; stores a new immutable version' })
  update(@Param('id', flowId) id: string, @Body() body: FlowDocumentDto) {
    return this.flows.update(id, body);
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
