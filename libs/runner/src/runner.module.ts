import { Global, Module } from '@nestjs/common';
import { HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { CompiledFlows } from './compiled-flows';
import { ExecutionEvents } from './execution-events';
import { ExecutionRunner, OUTBOUND_HTTP } from './execution-runner';
import { GuardedHttpClient } from './guarded-http-client';

@Global()
@Module({
  providers: [
    CompiledFlows,
    ExecutionRunner,
    ExecutionEvents,
    {
      provide: OUTBOUND_HTTP,
      inject: [HOOKFLOW_CONFIG],
      useFactory: (config: HookflowConfig) => new GuardedHttpClient(config.outboundAllowlist),
    },
  ],
  exports: [CompiledFlows, ExecutionRunner, ExecutionEvents, OUTBOUND_HTTP],
})
export class RunnerModule {}
