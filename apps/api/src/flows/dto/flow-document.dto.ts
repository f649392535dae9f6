import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { FLOW_FORMAT, FLOW_ID_PATTERN } from '@hookflow/engine';

export class FlowNodeDto {
  @ApiProperty({ example: 'map' })
  @IsString()
  @Length(1, 64)
  id!: string;

  @ApiProperty({ example: 'transform' })
  @IsString()
  @Length(1, 100)
  type!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 200)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { expression: '$' } })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Name of a stored credential' })
  @IsOptional()
  @IsString()
  credential?: string;

  @ApiPropertyOptional({ type: [Number], example: [0, 0] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsNumber({}, { each: true })
  position?: [number, number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Retry policy: maxAttempts, initialDelayMs, maxDelayMs, factor',
    example: { maxAttempts: 3, initialDelayMs: 1000 },
  })
  @IsOptional()
  @IsObject()
  retry?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['stop', 'continue', 'route'], default: 'stop' })
  @IsOptional()
  @IsIn(['stop', 'continue', 'route'])
  onError?: 'stop' | 'continue' | 'route';
}

export class FlowEdgeDto {
  @ApiProperty({ example: 'hook' })
  @IsString()
  from!: string;

  @ApiProperty({ example: 'map' })
  @IsString()
  to!: string;

  @ApiPropertyOptional({ example: 'true', description: 'Output port of `from` (default `main`)' })
  @IsOptional()
  @IsString()
  port?: string;
}

/** The flow document, format v1 (see docs/flow.schema.json): the body of create, update, import. */
export class FlowDocumentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  $schema?: string;

  @ApiPropertyOptional({ enum: [FLOW_FORMAT], default: FLOW_FORMAT })
  @IsOptional()
  @IsIn([FLOW_FORMAT], { message: `format must be "${FLOW_FORMAT}"` })
  format?: string;

  @ApiPropertyOptional({
    description: 'Export only: the flow id at export; an import keeps it unless it is taken',
  })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(FLOW_ID_PATTERN), { message: 'id must be a UUID' })
  id?: string;

  @ApiProperty({ example: 'Stripe payment -> HTTP' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  description?: string;

  @ApiProperty({ type: [FlowNodeDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => FlowNodeDto)
  nodes!: FlowNodeDto[];

  @ApiProperty({ type: [FlowEdgeDto] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => FlowEdgeDto)
  edges!: FlowEdgeDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Export only: trigger node id -> hook id; an import keeps free hook ids',
  })
  @IsOptional()
  @IsObject()
  hooks?: Record<string, unknown>;
}

export class CreateFlowDto extends FlowDocumentDto {
  @ApiPropertyOptional({ default: true, description: 'Accept deliveries right away' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'Why: shown with version 1 in the version history' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  message?: string;
}
