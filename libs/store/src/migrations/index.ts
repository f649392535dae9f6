import { InitialSchema1732000000000 } from './1732000000000-initial-schema';
import { DurableRuns1732000000001 } from './1732000000001-durable-runs';
import { Credentials1732000000002 } from './1732000000002-credentials';
import { DeliveryReplay1732000000003 } from './1732000000003-delivery-replay';
import { TriggerSamples1732000000004 } from './1732000000004-trigger-samples';
import { FlowVersions1732000000005 } from './1732000000005-flow-versions';
import { Accounts1732000000006 } from './1732000000006-accounts';
import { Retention1732000000007 } from './1732000000007-retention';
import { StoredPayloads1732000000008 } from './1732000000008-stored-payloads';
import { LeanExecutionIndexes1732000000009 } from './1732000000009-lean-execution-indexes';
import { StepPrimaryKey1732000000010 } from './1732000000010-step-primary-key';
import { DryRuns1732000000011 } from './1732000000011-dry-runs';
import { ExecutionFillfactor1732000000012 } from './1732000000012-execution-fillfactor';
import { DeliveryBodyParts1732000000013 } from './1732000000013-delivery-body-parts';

/** In order. A new migration is a new file and one line here. */
export const ALL_MIGRATIONS = [
  InitialSchema1732000000000,
  DurableRuns1732000000001,
  Credentials1732000000002,
  DeliveryReplay1732000000003,
  TriggerSamples1732000000004,
  FlowVersions1732000000005,
  Accounts1732000000006,
  Retention1732000000007,
  StoredPayloads1732000000008,
  LeanExecutionIndexes1732000000009,
  StepPrimaryKey1732000000010,
  DryRuns1732000000011,
  ExecutionFillfactor1732000000012,
  DeliveryBodyParts1732000000013,
];
