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
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@hookflow/common';
import { CredentialsService } from '@hookflow/store';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { presentCredential } from './credential.presenter';
import { CreateCredentialDto, UpdateCredentialDto } from './dto/credential.dto';

const credentialId = new ParseUUIDPipe({ exceptionFactory: () => notFound('credential') });

/** Secrets go in, masks come out: no route answers a secret value. */
@ApiTags('credentials')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('api/credentials')
export class CredentialsController {
  constructor(@Inject(CredentialsService) private readonly credentials: CredentialsService) {}

  @Post()
  @ApiOperation({ summary: 'Store a credential (encrypted); answers it masked' })
  async create(@Body() body: CreateCredentialDto) {
    return presentCredential(await this.credentials.create(body));
  }

  @Get()
  @ApiOperation({ summary: 'List credentials by name, masked' })
  async list() {
    const items = await this.credentials.list();
    return { items: items.map(presentCredential), total: items.length };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One credential, masked' })
  async get(@Param('id', credentialId) id: string) {
    return presentCredential(await this.credentials.get(id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace the secret data (the type cannot change)' })
  async update(@Param('id', credentialId) id: string, @Body() body: UpdateCredentialDto) {
    return presentCredential(await this.credentials.replaceData(id, body.data));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a credential (flows referencing it fail at run time)' })
  async delete(@Param('id', credentialId) id: string): Promise<void> {
    await this.credentials.delete(id);
  }
}
