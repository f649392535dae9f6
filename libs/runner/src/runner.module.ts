import { Global, Module } from '@nestjs/common';
import { HOOKFLOW_CONFIG, HookflowMetrics, type HookflowConfig } from '@hookflow/common';
import { CompiledFlows } from './compiled-flows';
import { DryRunner } from './dry-run';
import { ErrorFlows } from './error-flows';
import { ExecutionEvents } from './execution-events';
import { ExecutionRunner, OUTBOUND_HTTP, OUTBOUND_MAIL } from './execution-runner';
import { GuardedHttpClient } from './guarded-http-client';
import { SmtpMailer } from './smtp-mailer';

@Global()
@Module({
  providers: [
    CompiledFlows,
    ExecutionRunner,
    ExecutionEvents,
    ErrorFlows,
    DryRunner,
    {
      provide: OUTBOUND_HTTP,
      inject: [HOOKFLOW_CONFIG, HookflowMetrics],
      useFactory: (config: HookflowConfig, metrics: HookflowMetrics) =>
        new GuardedHttpClient(config.outboundAllowlist, metrics),
    },
    {
      provide: OUTBOUND_MAIL,
      inject: [HOOKFLOW_CONFIG],
      useFactory: (config: HookflowConfig) =>
        new SmtpMailer({ allowlist: config.outboundAllowlist }),
    },
  ],
  exports: [
    CompiledFlows,
    DryRunner,
    ExecutionRunner,
    ExecutionEvents,
    OUTBOUND_HTTP,
    OUTBOUND_MAIL,
  ],
})
export class RunnerModule {}
