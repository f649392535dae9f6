import { Module } from '@nestjs/common';
import { NodeTypesController } from './node-types.controller';

@Module({ controllers: [NodeTypesController] })
export class NodeTypesModule {}
