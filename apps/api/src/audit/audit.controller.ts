import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { AuditService, type AuditEntryView } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('api/audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Changes to flows, credentials, keys and users, newest first' })
  list(@Query() query: AuditQueryDto): Promise<{ items: AuditEntryView[]; total: number }> {
    return this.audit.page({
      targetType: query.targetType,
      targetId: query.targetId,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }
}
