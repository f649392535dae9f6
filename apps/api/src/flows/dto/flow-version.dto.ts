import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { FlowDocumentDto } from './flow-document.dto';

/** What a save may say besides the document: its base, why, and whether it goes live. */
export class SaveOptionsDto {
  @ApiPropertyOptional({
    description:
      'The version this save was based on (or the `If-Match: "<n>"` header). A stale one ' +
      'answers 409 version_conflict with both versions.',
    example: 3,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  baseVersion?: number;

  @ApiPropertyOptional({ description: 'Why: shown in the version history', example: 'raise limit' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  message?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Save a draft only: deliveries keep running the published version',
  })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

/** PUT /api/flows/:id: the flow document plus the save options. */
export class SaveFlowDto extends IntersectionType(FlowDocumentDto, SaveOptionsDto) {}

export class PublishDto {
  @ApiPropertyOptional({ description: 'The version to publish; default: the latest' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class DiffQueryDto {
  @ApiProperty({ description: 'One side (usually the older version)', example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;

  @ApiProperty({ description: 'The other side (usually the newer version)', example: 2 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to!: number;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ description: 'The version to export; default: the latest' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
