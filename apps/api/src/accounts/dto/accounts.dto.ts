import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { UserRole } from '@hookflow/store';
import type { Scope } from '../../auth/principal';

const SCOPES: Scope[] = ['read', 'write', 'admin'];
const ROLES: UserRole[] = ['owner', 'member'];

export class SignInDto {
  @ApiProperty({ example: 'owner@example.com' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class NewUserDto {
  @ApiProperty({ example: 'owner@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password', minLength: 10 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class CreateUserDto extends NewUserDto {
  @ApiPropertyOptional({ enum: ROLES, default: 'member' })
  @IsOptional()
  @IsIn(ROLES, { message: 'role must be owner or member' })
  role?: UserRole;
}

export class CreateKeyDto {
  @ApiProperty({ example: 'deploy script' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['read'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(3)
  @IsIn(SCOPES, { each: true, message: 'each scope must be read, write or admin' })
  scopes!: Scope[];
}
