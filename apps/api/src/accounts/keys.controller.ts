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
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { notFound } from '@hookflow/common';
import { addAuditSummary } from '../audit/audited.decorator';
import { ApiKeysService, type ApiKeyView } from '../auth/api-keys.service';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { RequireScope } from '../auth/scopes';
import { CreateKeyDto } from './dto/accounts.dto';

const keyId = new ParseUUIDPipe({ exceptionFactory: () => notFound('API key') });

/** Personal API keys with scopes. Admin scope: a key can mint keys as strong as any. */
@ApiTags('accounts')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('api/keys')
export class KeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a key; the answer shows the key once (only its hash is kept)' })
  create(
    @Body() body: CreateKeyDto,
    @CurrentPrincipal() who: Principal | undefined,
  ): Promise<ApiKeyView & { key: string }> {
    return this.keys.create({ name: body.name, scopes: body.scopes, userId: who?.userId });
  }

  @Get()
  @ApiOperation({ summary: 'List keys, revoked ones included (never the key itself)' })
  async list(): Promise<{ items: ApiKeyView[]; total: number }> {
    const items = await this.keys.list();
    return { items, total: items.length };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: refused (401) from now on, kept for the audit trail' })
  async revoke(@Param('id', keyId) id: string, @Req() request: FastifyRequest): Promise<void> {
    const revoked = await this.keys.revoke(id);
    addAuditSummary(request, { name: revoked.name, prefix: revoked.prefix });
  }
}
