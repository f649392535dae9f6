import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { JsonValue } from '@hookflow/engine';

/** At most this many deliveries in one dry run. */
export const MAX_DRY_RUN_DELIVERIES = 1_000;
/** Without a selection: the flow's most recent deliveries. */
export const DEFAULT_DRY_RUN_LAST = 100;

export class StandInDto {
  @ApiPropertyOptional({ default: 200, description: 'HTTP status of the stand-in answer' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;

  @ApiPropertyOptional({ description: 'Response headers of the stand-in answer' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'Body (any JSON) of the stand-in answer; default {"ok":true}',
  })
  @IsOptional()
  body?: JsonValue;
}

export class CreateDryRunDto {
  @ApiPropertyOptional({ description: 'The version to try (default: the latest draft)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({
    maximum: MAX_DRY_RUN_DELIVERIES,
    description: `The flow's last N deliveries (default ${DEFAULT_DRY_RUN_LAST} when nothing else is chosen)`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DRY_RUN_DELIVERIES)
  last?: number;

  @ApiPropertyOptional({ description: 'Deliveries received at or after this time (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'Deliveries received at or before this time (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ type: [String], description: 'These deliveries of the flow' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DRY_RUN_DELIVERIES)
  @IsUUID('all', { each: true })
  deliveryIds?: string[];

  @ApiPropertyOptional({
    type: 'array',
    description:
      'Pasted sample bodies (JSON), each run as a delivery; compared with the published version',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DRY_RUN_DELIVERIES)
  samples?: JsonValue[];

  @ApiPropertyOptional({
    type: StandInDto,
    description: 'What held requests answer when the original run has no answer for the node',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StandInDto)
  standIn?: StandInDto;
}

export class DryRunQueryDto {
  @ApiPropertyOptional({ enum: ['unchanged', 'changed', 'failed'] })
  @IsOptional()
  @IsIn(['unchanged', 'changed', 'failed'])
  verdict?: 'unchanged' | 'changed' | 'failed';

  @ApiPropertyOptional({ default: MAX_DRY_RUN_DELIVERIES, maximum: MAX_DRY_RUN_DELIVERIES })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DRY_RUN_DELIVERIES)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
