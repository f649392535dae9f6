import { InitialSchema1732000000000 } from './1732000000000-initial-schema';
import { DurableRuns1732000000001 } from './1732000000001-durable-runs';

/** In order. A new migration is a new file and one line here. */
export const ALL_MIGRATIONS = [InitialSchema1732000000000, DurableRuns1732000000001];
