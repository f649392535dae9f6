import { Body, Controller, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ImportsService } from './imports.service';

/**
 * Imports from other tools. The body is the tool's own export, untouched, so it is typed `unknown`
 * (the global ValidationPipe leaves it alone) and the converter checks its shape.
 */
@ApiTags('flows')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/flows/import')
export class ImportsController {
  constructor(@Inject(ImportsService) private readonly imports: ImportsService) {}

  @Post('n8n')
  @ApiOperation({
    summary:
      'Import an n8n workflow (editor export or `n8n export:workflow`); saved disabled, ' +
      'answered with the flow and a per-node report',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  n8n(@Body() body: unknown) {
    return this.imports.importN8n(body);
  }

  @Post('node-red')
  @ApiOperation({
    summary: 'Import a Node-RED flow export (array); saved disabled, with a per-node report',
  })
  @ApiBody({ schema: { type: 'array', items: { type: 'object', additionalProperties: true } } })
  nodeRed(@Body() body: unknown) {
    return this.imports.importNodeRed(body);
  }
}
