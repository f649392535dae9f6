import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_NODE_TYPES, publishNodeType, type PublishedNodeType } from '@hookflow/nodes';
import { ApiKeyGuard } from '../auth/api-key.guard';

@ApiTags('node-types')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/node-types')
export class NodeTypesController {
  /** Computed once: node types are fixed for the life of the process. */
  private readonly views: PublishedNodeType[] = ALL_NODE_TYPES.map(publishNodeType);

  @Get()
  @ApiOperation({ summary: 'Every node type with its ports and params JSON Schema' })
  list(): { items: PublishedNodeType[] } {
    return { items: this.views };
  }
}
