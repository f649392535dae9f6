import { Inject, Injectable } from '@nestjs/common';
import type { FlowDocument } from '@hookflow/engine';
import { Database } from './database';
import { select } from './raw-sql';

/** An enabled flow whose current version may start on a schedule. */
export interface ScheduledFlowRow {
  flowId: string;
  versionId: string;
  document: FlowDocument;
  /** The hook reserved for the trigger node: schedule deliveries are logged under it. */
  hookId: string | null;
}

/**
 * What the schedulers read every few seconds: the enabled flows whose current version mentions
 * `trigger.schedule`. A text match keeps the query portable (documents are JSON text on both
 * databases); the caller compiles the document to be sure.
 */
@Injectable()
export class SchedulesRepository {
  constructor(@Inject(Database) private readonly database: Database) {}

  /** All of them, or the one flow asked for (when it still is one). */
  async scheduledFlows(flowId?: string): Promise<ScheduledFlowRow[]> {
    const enabled = this.database.kind === 'postgres' ? 'true' : '1';
    const oneFlow = flowId === undefined ? '' : ' AND f.id = ?';
    const rows = await select<{
      flow_id: string;
      version_id: string;
      document: string | FlowDocument;
    }>(
      this.database.dataSource,
      this.database.kind,
      'SELECT f.id AS flow_id, v.id AS version_id, v.document AS document ' +
        'FROM flows f JOIN flow_versions v ON v.id = f.current_version_id ' +
        `WHERE f.enabled = ${enabled} AND v.document LIKE ?${oneFlow} ORDER BY f.id`,
      flowId === undefined ? ['%"trigger.schedule"%'] : ['%"trigger.schedule"%', flowId],
    );
    if (rows.length === 0) return [];
    const hooks = await this.hooksOf(rows.map((row) => row.flow_id));
    return rows.map((row) => {
      const document = (
        typeof row.document === 'string' ? JSON.parse(row.document) : row.document
      ) as FlowDocument;
      const nodeIds = new Set(document.nodes.map((node) => node.id));
      const hook = hooks.find((entry) => entry.flowId === row.flow_id && nodeIds.has(entry.nodeId));
      return {
        flowId: row.flow_id,
        versionId: row.version_id,
        document,
        hookId: hook?.id ?? null,
      };
    });
  }

  private async hooksOf(
    flowIds: string[],
  ): Promise<Array<{ id: string; flowId: string; nodeId: string }>> {
    const found: Array<{ id: string; flowId: string; nodeId: string }> = [];
    for (let start = 0; start < flowIds.length; start += 500) {
      const batch = flowIds.slice(start, start + 500);
      const rows = await select<{ id: string; flow_id: string; node_id: string }>(
        this.database.dataSource,
        this.database.kind,
        `SELECT id, flow_id, node_id FROM hooks WHERE flow_id IN (${batch.map(() => '?').join(', ')})`,
        batch,
      );
      found.push(...rows.map((row) => ({ id: row.id, flowId: row.flow_id, nodeId: row.node_id })));
    }
    return found;
  }
}
