import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FlowDocumentSchema, type JsonObject } from '@hookflow/engine';
import { JSON_SCHEMA_DRAFT, plainSchema } from '@hookflow/nodes';

/** The same schema `npm run schema` writes to docs/flow.schema.json, built once. */
const FLOW_SCHEMA: JsonObject = { $schema: JSON_SCHEMA_DRAFT, ...plainSchema(FlowDocumentSchema) };

/**
 * Public, like a `$schema` URL must be: exported flows point here, and editors and IDEs fetch it
 * without an API key (the auth guard lists the route as open).
 */
@ApiTags('schema')
@Controller('api/schema')
export class SchemaController {
  @Get('flow.json')
  @Header('content-type', 'application/schema+json; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The JSON Schema of a flow document, format v1 (no auth)' })
  flow(): JsonObject {
    return FLOW_SCHEMA;
  }
}
