import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_NODE_TYPES } from '@hookflow/nodes';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { presentNodeType, type NodeTypeView } from './node-type.presenter';

@ApiTags('node-types')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/node-types')
export class NodeTypesController {
  /** Computed once: node types are fixed for the life of the process. */
  private readonly views: NodeTypeView[] = ALL_NODE_TYPES.map(presentNodeType);

  @Get()
  @ApiOperation({ summary: 'Every node type with its ports and params JSON Schema' })
  list(): { items: NodeTypeView[] } {
    return { items: this.views };
  }
}
