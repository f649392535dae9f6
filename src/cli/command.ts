import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client';
import { UsageError } from './cli-error';
import type { Output } from './output';

/** What every command gets: its arguments, where to write, and the API (opened on first use). */
export interface CommandContext {
  out: Output;
  api(): Promise<ApiClient>;
}

export interface Command {
  /** `flows list`, `apikey create`, ... */
  name: string;
  /** One line for the overview. */
  summary: string;
  /** The full usage, printed with --help and after a usage error. */
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Positional arguments: their names, for the arity check. */
  positionals?: { required: string[]; rest?: string };
  run(context: CommandContext, args: ParsedArgs): Promise<void>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** Options every command takes; they pick the target and the output form. */
export const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  server: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_USAGE = `Target (default: the local database from DATABASE_URL / HOOKFLOW_SQLITE_PATH):
  --server <url>     a running Hookflow (or HOOKFLOW_SERVER)
  --api-key <key>    its API key (or HOOKFLOW_API_KEY)
  --json             machine-readable output`;

/** Parses strictly: an unknown option or a missing argument is a usage error, never a guess. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), command.usage);
  }
  if (parsed.values.help === true) return parsed;
  const { required, rest } = command.positionals ?? { required: [] };
  if (parsed.positionals.length < required.length) {
    const missing = required.slice(parsed.positionals.length).join(', ');
    throw new UsageError(`missing ${missing}`, command.usage);
  }
  if (!rest && parsed.positionals.length > required.length) {
    const extra = parsed.positionals.slice(required.length).join(' ');
    throw new UsageError(`unexpected argument ${extra}`, command.usage);
  }
  return parsed;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer option (`--limit 20`), or a usage error naming it. */
export function intOption(
  args: ParsedArgs,
  name: string,
  usage: string,
  max = 200,
): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}`, usage);
  }
  return Number(value);
}

/** Ids are UUIDs: checking here gives a usage error instead of a confusing 404. */
export function idArgument(value: string, what: string, usage: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`${what} "${value}" is not an id (a UUID)`, usage);
  }
  return value;
}
