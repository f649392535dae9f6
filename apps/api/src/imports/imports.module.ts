import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({ imports: [FlowsModule], controllers: [ImportsController], providers: [ImportsService] })
export class ImportsModule {}
