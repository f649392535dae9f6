import { InitialSchema1732000000000 } from './1732000000000-initial-schema';
import { DurableRuns1732000000001 } from './1732000000001-durable-runs';
import { Credentials1732000000002 } from './1732000000002-credentials';
import { DeliveryReplay1732000000003 } from './1732000000003-delivery-replay';
import { TriggerSamples1732000000004 } from './1732000000004-trigger-samples';

/** In order. A new migration is a new file and one line here. */
export const ALL_MIGRATIONS = [
  InitialSchema1732000000000,
  DurableRuns1732000000001,
  Credentials1732000000002,
  DeliveryReplay1732000000003,
  TriggerSamples1732000000004,
];
