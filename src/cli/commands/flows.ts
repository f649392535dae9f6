import { readFile, writeFile } from 'node:fs/promises';
import { failure, type ApiClient } from '../api-client';
import { CliError, EXIT, UsageError } from '../cli-error';
import { GLOBAL_USAGE, idArgument, intOption, stringOption, type Command } from '../command';
import { detectImportFormat } from '../import-format';
import { emit, progress, shortTime, table, type Output } from '../output';

interface FlowSummary {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  publishedVersion?: number;
  updatedAt: string;
  triggers?: Array<{ url: string }>;
}

/** What an import answers besides the flow: a conversion report (n8n, Node-RED) and/or ids. */
interface ImportReport {
  summary?: { converted: number; approximated: number; unsupported: number };
  nodes?: Array<{ sourceName: string; outcome: string; notes: string[] }>;
  /** n8n / Node-RED: every credential the source flow needs. */
  credentials?: Array<{ name: string; types: string[] }>;
  remapped?: Array<{ kind: string; from: string; to: string }>;
  missingCredentials?: Array<{ name: string; path: string }>;
}

/** One flow an import made; a Node-RED export may make several (`otherFlows`). */
interface ImportedFlow {
  flow: FlowSummary;
  report?: ImportReport;
}

const IMPORT_PATHS = {
  hookflow: '/api/flows/import',
  n8n: '/api/flows/import/n8n',
  'node-red': '/api/flows/import/node-red',
} as const;
type ImportSource = keyof typeof IMPORT_PATHS;

const LIST_USAGE = `usage: hookflow flows list [--limit <n>] [--offset <n>]\n\n${GLOBAL_USAGE}\n`;

export const flowsList: Command = {
  name: 'flows list',
  summary: 'the flows, newest first',
  usage: LIST_USAGE,
  options: { limit: { type: 'string' }, offset: { type: 'string' } },
  async run({ out, api }, args) {
    const limit = intOption(args, 'limit', LIST_USAGE) ?? 50;
    const offset = Number(stringOption(args, 'offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new UsageError('--offset must be a whole number', LIST_USAGE);
    }
    const client = await api();
    const answer = await client.call('GET', `/api/flows?limit=${limit}&offset=${offset}`);
    if (answer.status !== 200) throw failure(answer, 'cannot list flows');
    const page = answer.body as { items: FlowSummary[]; total: number };
    emit(out, page, () => {
      const rows = page.items.map((flow) => [
        flow.id,
        flow.enabled ? 'enabled' : 'disabled',
        `v${flow.publishedVersion ?? flow.version}${flow.publishedVersion !== undefined && flow.publishedVersion !== flow.version ? ` (draft v${flow.version})` : ''}`,
        shortTime(flow.updatedAt),
        flow.name,
      ]);
      const shown = page.items.length < page.total ? `\n${page.items.length} of ${page.total}` : '';
      return table(['ID', 'STATUS', 'VERSION', 'UPDATED', 'NAME'], rows) + shown;
    });
  },
};

const EXPORT_USAGE = `usage: hookflow flows export <flow id> [--out <file>]

Writes the flow document (credentials by name, never secrets) to stdout or <file>.

${GLOBAL_USAGE}
`;

export const flowsExport: Command = {
  name: 'flows export',
  summary: 'a flow as a portable JSON document',
  usage: EXPORT_USAGE,
  options: { out: { type: 'string', short: 'o' } },
  positionals: { required: ['<flow id>'] },
  async run({ out, api }, args) {
    const id = idArgument(args.positionals[0], 'flow', EXPORT_USAGE);
    const client = await api();
    const answer = await client.call('GET', `/api/flows/${id}/export`);
    if (answer.status !== 200) throw failure(answer, `cannot export flow ${id}`);
    // Byte for byte as the server exports it: export, import, export gives the same file.
    const text = answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`;
    const file = stringOption(args, 'out');
    if (file === undefined) {
      process.stdout.write(text);
      return;
    }
    await writeFile(file, text);
    out.note(`exported flow ${id} to ${file}`);
  },
};

const IMPORT_USAGE = `usage: hookflow flows import <file> [<file> ...] [--from hookflow|n8n|node-red] [--enable]

Imports flow documents (or n8n / Node-RED exports with --from). Imported flows stay disabled
unless --enable is given (a flow naming a credential this installation lacks stays disabled).

${GLOBAL_USAGE}
`;

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file}: not JSON (${error instanceof Error ? error.message : ''})`);
  }
}

function reportLine(report: ImportReport | undefined): string {
  if (!report?.summary) return '';
  const { converted, approximated, unsupported } = report.summary;
  return ` (${converted} converted, ${approximated} approximated, ${unsupported} unsupported)`;
}

/** The lines under an imported file: what was not converted, ids changed, credentials missing. */
function reportDetails(report: ImportReport | undefined): string[] {
  if (!report) return [];
  return [
    ...(report.nodes ?? [])
      .filter((node) => node.outcome !== 'converted')
      .map((node) => `  ${node.outcome}: ${node.sourceName}: ${node.notes.join('; ')}`),
    ...(report.remapped ?? []).map(
      (id) => `  ${id.kind} id ${id.from} is taken here: now ${id.to}`,
    ),
    ...(report.credentials ?? []).map(
      (credential) =>
        `  credential to create: "${credential.name}" (${credential.types.join(' or ')})`,
    ),
    ...(report.missingCredentials ?? []).map(
      (credential) =>
        `  missing credential "${credential.name}" (${credential.path}): create it, then enable`,
    ),
  ];
}

/** `--from` advice when the file looks like another tool's export than the one asked for. */
function fromHint(document: unknown, from: ImportSource): string {
  const detected = detectImportFormat(document);
  if (detected === undefined || detected === from) return '';
  return detected === 'hookflow'
    ? '\n  this looks like a Hookflow flow export: drop --from'
    : `\n  this looks like ${detected === 'n8n' ? 'an n8n' : 'a Node-RED'} export: add --from ${detected}`;
}

/** Credentials a converted flow names that this installation does not have yet. */
async function absentCredentials(client: ApiClient, flow: ImportedFlow): Promise<string[]> {
  const needed = flow.report?.credentials ?? [];
  if (needed.length === 0) return [];
  const answer = await client.call('GET', '/api/credentials');
  if (answer.status !== 200) throw failure(answer, 'cannot list credentials');
  const present = new Set(
    (answer.body as { items: Array<{ name: string }> }).items.map((item) => item.name),
  );
  return needed
    .filter((credential) => !present.has(credential.name))
    .map((credential) => credential.name);
}

interface ImportStep {
  file: string;
  from: ImportSource;
  enable: boolean;
}

/** Imports one file; answers what was imported and what did not go as asked. */
async function importFile(
  client: ApiClient,
  out: Output,
  step: ImportStep,
): Promise<{ imported: unknown; problems: string[] }> {
  const { file, from, enable } = step;
  const document = await readJson(file);
  const path = from === 'hookflow' ? `${IMPORT_PATHS[from]}?enabled=${enable}` : IMPORT_PATHS[from];
  const answer = await client.call('POST', path, document);
  if (answer.status !== 201) {
    const error = failure(answer, file);
    throw new CliError(`${error.message}${fromHint(document, from)}`, error.exitCode);
  }
  const body = answer.body as Partial<ImportedFlow> & { otherFlows?: ImportedFlow[] } & FlowSummary;
  const flows: ImportedFlow[] = [
    { flow: body.flow ?? body, ...(body.report ? { report: body.report } : {}) },
    ...(body.otherFlows ?? []),
  ];
  const problems: string[] = [];
  for (const imported of flows) {
    const { flow } = imported;
    if (from !== 'hookflow' && enable) {
      const absent = await absentCredentials(client, imported);
      if (absent.length > 0) {
        problems.push(
          `${file}: "${flow.name}" imported but left disabled (create the credentials ${absent.join(', ')})`,
        );
      } else {
        const enabled = await client.call('POST', `/api/flows/${flow.id}/enable`);
        if (enabled.status !== 200) throw failure(enabled, `${file}: imported, but not enabled`);
        flow.enabled = true;
      }
    }
    const missing = imported.report?.missingCredentials ?? [];
    if (from === 'hookflow' && enable && !flow.enabled && missing.length > 0) {
      // Asked to enable, could not: a script must not believe the flow is live.
      problems.push(`${file}: imported but left disabled (missing credentials)`);
    }
    if (!out.json) {
      const state = flow.enabled ? 'enabled' : 'disabled';
      out.result(`${file} -> ${flow.id} ${state} "${flow.name}"${reportLine(imported.report)}`);
      for (const line of reportDetails(imported.report)) out.result(line);
    }
  }
  return { imported: { file, ...body }, problems };
}

export const flowsImport: Command = {
  name: 'flows import',
  summary: 'flow files (Hookflow, n8n or Node-RED exports)',
  usage: IMPORT_USAGE,
  options: { from: { type: 'string' }, enable: { type: 'boolean' } },
  positionals: { required: ['<file>'], rest: '<file>' },
  async run({ out, api }, args) {
    const from = (stringOption(args, 'from') ?? 'hookflow') as ImportSource;
    if (!(from in IMPORT_PATHS)) {
      throw new UsageError(`--from must be hookflow, n8n or node-red, not "${from}"`, IMPORT_USAGE);
    }
    const enable = args.values.enable === true;
    const client = await api();
    const results: unknown[] = [];
    const problems: string[] = [];
    const total = args.positionals.length;
    let failed = 0;
    for (const [index, file] of args.positionals.entries()) {
      progress(out, index, total, `importing ${file}`);
      let outcome = 'imported';
      try {
        const step = await importFile(client, out, { file, from, enable });
        results.push(step.imported);
        problems.push(...step.problems);
        if (!out.json) for (const problem of step.problems) out.note(`hookflow: ${problem}`);
        if (step.problems.length > 0) outcome = 'imported, not as asked:';
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        problems.push(error.message);
        failed += 1;
        outcome = 'failed';
        if (!out.json) out.note(`hookflow: ${error.message}`);
      }
      progress(out, index + 1, total, `${outcome} ${file}`);
    }
    if (out.json) out.result(JSON.stringify({ imported: results, errors: problems }, null, 2));
    if (problems.length > 0) {
      const asked = problems.length - failed;
      throw new CliError(
        `${failed} of ${total} file(s) failed to import` +
          (asked > 0 ? `; ${asked} flow(s) not imported as asked` : ''),
        EXIT.failed,
      );
    }
  },
};

function toggle(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  const usage = `usage: hookflow flows ${verb} <flow id>\n\n${GLOBAL_USAGE}\n`;
  return {
    name: `flows ${verb}`,
    summary: enabled ? 'start accepting deliveries' : 'stop accepting deliveries',
    usage,
    positionals: { required: ['<flow id>'] },
    async run({ out, api }, args) {
      const id = idArgument(args.positionals[0], 'flow', usage);
      const client = await api();
      const answer = await client.call('POST', `/api/flows/${id}/${verb}`);
      if (answer.status !== 200) throw failure(answer, `cannot ${verb} flow ${id}`);
      const flow = answer.body as FlowSummary;
      emit(out, flow, () => `${verb}d "${flow.name}" (${flow.id})`);
    },
  };
}

export const flowsEnable = toggle(true);
export const flowsDisable = toggle(false);
