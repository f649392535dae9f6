import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { CreateUserDto } from './dto/accounts.dto';
import { presentUser, UsersService, type UserView } from './users.service';

/** Accounts that sign in to the editor. Owners only (admin scope). */
@ApiTags('accounts')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('api/users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Add a user (a member unless role is owner)' })
  async create(@Body() body: CreateUserDto): Promise<UserView> {
    return presentUser(await this.users.create(body));
  }

  @Get()
  @ApiOperation({ summary: 'List users' })
  async list(): Promise<{ items: UserView[]; total: number }> {
    const items = await this.users.list();
    return { items, total: items.length };
  }
}
