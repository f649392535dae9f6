import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Matches } from 'class-validator';
import { CREDENTIAL_TYPES, type CredentialType } from '@hookflow/common';

/** What flows write in `"credential": "<name>"`: no spaces, so references stay unambiguous. */
export const CREDENTIAL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class UpdateCredentialDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The secret fields of the credential type (see docs/credentials.md)',
    example: { token: 'xoxb-...' },
  })
  @IsObject()
  data!: Record<string, unknown>;
}

export class CreateCredentialDto extends UpdateCredentialDto {
  @ApiProperty({ example: 'slack-sales', pattern: CREDENTIAL_NAME_PATTERN.source })
  @IsString()
  @Matches(CREDENTIAL_NAME_PATTERN, {
    message: 'name must be 1-100 of A-Z a-z 0-9 . _ - starting with a letter or digit',
  })
  name!: string;

  @ApiProperty({ enum: CREDENTIAL_TYPES })
  @IsIn(CREDENTIAL_TYPES, { message: `type must be one of: ${CREDENTIAL_TYPES.join(', ')}` })
  type!: CredentialType;
}
