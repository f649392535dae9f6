import type { DryRunDeliveryView, DryRunView } from '@hookflow/api';
import { failure, type ApiClient } from '../api-client';
import { CliError, EXIT, UsageError } from '../cli-error';
import { GLOBAL_USAGE, idArgument, intOption, type Command } from '../command';
import { emit, table, type Output } from '../output';

const TEST_USAGE = `usage: hookflow flows test <flow id> [--version <n> | --draft] [--last <n>] [--fail-on-change]

Tries a version of the flow (default --draft: the latest version) on its recent deliveries with
side effects held back (nothing is sent, nothing is recorded) and compares every delivery with
the published version. Exits 0 when no delivery failed and, with --fail-on-change, none changed;
else 1. Use it to gate a flow change in CI.

  --version <n>       the version to try
  --draft             the latest version (the default)
  --last <n>          how many recent deliveries (1 to 1000, default 100)
  --fail-on-change    exit 1 when any delivery's outputs or requests change

${GLOBAL_USAGE}
`;

/** Polls this often; a dry run of hundreds of deliveries takes seconds. */
const POLL_MS = 250;
/** Gives up after this long (a stuck server is a failure, not a hung CI job). */
const MAX_WAIT_MS = 15 * 60 * 1000;

async function finished(client: ApiClient, path: string, out: Output): Promise<DryRunView> {
  const deadline = Date.now() + MAX_WAIT_MS;
  let shown = -1;
  for (;;) {
    const answer = await client.call('GET', path);
    if (answer.status !== 200) throw failure(answer, 'cannot read the dry run');
    const view = answer.body as DryRunView;
    if (view.status !== 'running') return view;
    if (!out.json && view.progress.done !== shown) {
      shown = view.progress.done;
      out.note(`[${view.progress.done}/${view.progress.total}] deliveries tried`);
    }
    if (Date.now() > deadline) throw new CliError(`dry run ${view.id} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** What differs in one delivery, in a few words: `map changed, call gone`. */
function differences(delivery: DryRunDeliveryView): string {
  if (delivery.error) return delivery.error.message;
  const nodes = delivery.nodes
    .filter((node) => node.verdict !== 'equal')
    .map((node) => `${node.nodeId} ${node.verdict.replace(/_/g, ' ')}`);
  const requests = delivery.sideEffects
    .filter((effect) => effect.verdict !== 'equal')
    .map((effect) => `request of ${effect.nodeId} ${effect.verdict}`);
  return [...nodes, ...requests].join(', ');
}

function summary(view: DryRunView): string {
  const { unchanged, changed, failed } = view.summary;
  const head =
    `version ${view.version} against published version ${view.baselineVersion}: ` +
    `${view.progress.total} deliveries, ${unchanged} unchanged, ${changed} changed, ${failed} failed`;
  const rows = (view.deliveries ?? [])
    .filter((delivery) => delivery.verdict !== 'unchanged')
    .map((delivery) => [
      delivery.deliveryId ?? `sample ${delivery.position + 1}`,
      delivery.verdict,
      differences(delivery),
    ]);
  return rows.length === 0
    ? head
    : `${head}\n\n${table(['DELIVERY', 'VERDICT', 'WHAT'], rows, 80)}`;
}

export const flowsTest: Command = {
  name: 'flows test',
  summary: 'try a draft on recent deliveries, side effects held back',
  usage: TEST_USAGE,
  options: {
    version: { type: 'string' },
    draft: { type: 'boolean' },
    last: { type: 'string' },
    'fail-on-change': { type: 'boolean' },
  },
  positionals: { required: ['<flow id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'flow', TEST_USAGE);
    const version = intOption(args, 'version', TEST_USAGE, 1_000_000);
    if (version !== undefined && args.values.draft === true) {
      throw new UsageError('give --version or --draft, not both', TEST_USAGE);
    }
    const last = intOption(args, 'last', TEST_USAGE, 1000);
    const client = await api();
    const started = await client.call('POST', `/api/flows/${id}/dry-runs`, {
      ...(version !== undefined ? { version } : {}),
      ...(last !== undefined ? { last } : {}),
    });
    if (started.status !== 202) throw failure(started, `cannot test flow ${id}`);
    const runId = (started.body as { id: string }).id;
    const view = await finished(client, `/api/flows/${id}/dry-runs/${runId}`, out);
    emit(out, view, () => summary(view));
    if (view.status === 'failed') {
      throw new CliError(`dry run ${view.id} stopped: ${view.error ?? 'failed'}`, EXIT.failed);
    }
    if (view.summary.failed > 0) {
      throw new CliError(`${view.summary.failed} deliveries failed with this version`, EXIT.failed);
    }
    if (args.values['fail-on-change'] === true && view.summary.changed > 0) {
      throw new CliError(
        `${view.summary.changed} deliveries changed with this version (--fail-on-change)`,
        EXIT.failed,
      );
    }
  },
};
