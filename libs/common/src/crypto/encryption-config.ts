import { keyIdOf, parseKey } from './keyring';

const HOW =
  'must be 32 bytes written as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)';

/**
 * Reads HOOKFLOW_ENCRYPTION_KEYS_OLD: comma-separated keys, each optionally prefixed with its id
 * (`3fa1b2c4:<key>`), which is then checked against the key. Problems name the entry by position,
 * never by value.
 */
export function parseOldKeys(text: string | undefined): { keys: Buffer[]; problems: string[] } {
  const keys: Buffer[] = [];
  const problems: string[] = [];
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator === -1 ? undefined : entry.slice(0, separator).trim();
    const key = parseKey(separator === -1 ? entry : entry.slice(separator + 1));
    const where = `HOOKFLOW_ENCRYPTION_KEYS_OLD=(value hidden): entry #${index + 1}`;
    if (!key) problems.push(`${where} ${HOW}, optionally prefixed with its id and a colon`);
    else if (id !== undefined && id !== keyIdOf(key)) {
      problems.push(`${where} is labelled ${JSON.stringify(id)} but that is not its key id`);
    } else keys.push(key);
  });
  return { keys, problems };
}

/** The problems with the two encryption variables, for loadConfig's ConfigError. */
export function encryptionVariableProblems(env: { key?: string; old?: string }): string[] {
  const problems: string[] = [];
  if (env.key !== undefined && !parseKey(env.key)) {
    problems.push(`HOOKFLOW_ENCRYPTION_KEY=(value hidden): ${HOW}`);
  }
  problems.push(...parseOldKeys(env.old).problems);
  return problems;
}
