import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/list-query.dto';

/** Filters of the delivery log, shared by `/api/deliveries` and `/api/flows/:id/deliveries`. */
export class FlowDeliveryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only deliveries to this hook (the last part of its URL)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  hookId?: string;

  @ApiPropertyOptional({ description: 'Only deliveries answered with this HTTP status' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;

  @ApiPropertyOptional({
    description:
      'true: deliveries that got an execution id (duplicates carry the earlier one); ' +
      'false: refused deliveries',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  accepted?: boolean;
}

export class DeliveryListQueryDto extends FlowDeliveryListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  flowId?: string;
}
