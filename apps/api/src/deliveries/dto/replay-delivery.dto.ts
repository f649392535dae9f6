import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const REPLAY_VERSIONS = ['current', 'original'] as const;
export type ReplayVersion = (typeof REPLAY_VERSIONS)[number];

export class ReplayDeliveryDto {
  @ApiPropertyOptional({
    enum: REPLAY_VERSIONS,
    default: 'current',
    description:
      "current: the flow's current version; original: the version the original delivery ran",
  })
  @IsOptional()
  @IsIn(REPLAY_VERSIONS)
  version?: ReplayVersion;
}
