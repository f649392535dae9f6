import { failure } from '../api-client';
import { GLOBAL_USAGE, idArgument, type Command } from '../command';
import { emit } from '../output';

const REPLAY_USAGE = `usage: hookflow deliveries replay <delivery id> [--original]

Posts a stored delivery through its flow again, on the flow's current version (default) or
on the version its first execution ran (--original).

${GLOBAL_USAGE}
`;

export const deliveriesReplay: Command = {
  name: 'deliveries replay',
  summary: 'run a received delivery again',
  usage: REPLAY_USAGE,
  options: { original: { type: 'boolean' } },
  positionals: { required: ['<delivery id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'delivery', REPLAY_USAGE);
    const version = args.values.original === true ? 'original' : 'current';
    const client = await api();
    const answer = await client.call('POST', `/api/deliveries/${id}/replay`, { version });
    if (answer.status !== 202) throw failure(answer, `cannot replay delivery ${id}`);
    const accepted = answer.body as { deliveryId: string; executionId: string };
    emit(
      out,
      accepted,
      () => `replayed ${id}: delivery ${accepted.deliveryId}, execution ${accepted.executionId}`,
    );
  },
};
