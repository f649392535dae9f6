import type { Command } from '../command';
import { apikeyCreate, apikeyList, apikeyRevoke, ownerCreate } from './accounts';
import { deliveriesReplay } from './deliveries';
import { executionsList, executionsRetry, executionsShow } from './executions';
import { flowsDisable, flowsEnable, flowsExport, flowsImport, flowsList } from './flows';
import { flowsTest } from './flows-test';

/** Every `<group> <verb>` command, in the order the overview lists them. */
export const COMMANDS: readonly Command[] = [
  flowsList,
  flowsExport,
  flowsImport,
  flowsEnable,
  flowsDisable,
  flowsTest,
  executionsList,
  executionsShow,
  executionsRetry,
  deliveriesReplay,
  apikeyCreate,
  apikeyList,
  apikeyRevoke,
  ownerCreate,
];
