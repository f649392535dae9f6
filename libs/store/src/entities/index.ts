import { ApiKeyEntity } from './api-key.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';
import { CredentialEntity } from './credential.entity';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryKeyEntity } from './delivery-key.entity';
import { DryRunDeliveryEntity } from './dry-run-delivery.entity';
import { DryRunEntity } from './dry-run.entity';
import { ExecutionStepEntity } from './execution-step.entity';
import { ExecutionEntity } from './execution.entity';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';
import { HookEntity } from './hook.entity';

export * from './api-key.entity';
export * from './audit-entry.entity';
export * from './session.entity';
export * from './user.entity';
export * from './credential.entity';
export * from './delivery.entity';
export * from './delivery-key.entity';
export * from './dry-run-delivery.entity';
export * from './dry-run.entity';
export * from './execution-step.entity';
export * from './execution.entity';
export * from './flow-version.entity';
export * from './flow.entity';
export * from './hook.entity';

export const ALL_ENTITIES = [
  FlowEntity,
  FlowVersionEntity,
  HookEntity,
  DeliveryEntity,
  DeliveryKeyEntity,
  ExecutionEntity,
  ExecutionStepEntity,
  ApiKeyEntity,
  CredentialEntity,
  UserEntity,
  SessionEntity,
  AuditEntryEntity,
  DryRunEntity,
  DryRunDeliveryEntity,
];
