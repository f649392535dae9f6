import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES, parseKey } from './keyring';

export interface KeyFile {
  key: Buffer;
  /** True when this call wrote the file. */
  created: boolean;
  /** Set when an existing file is readable by group or others. */
  warning?: string;
}

/** Thrown when the key file exists but cannot be used; never overwritten, that would lose data. */
export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

function readKeyFile(path: string): KeyFile {
  const key = parseKey(readFileSync(path, 'utf8'));
  if (!key) {
    throw new KeyFileError(
      `${path} does not hold an encryption key (64 hex characters or base64 of ${KEY_BYTES} bytes); ` +
        'restore it from a backup, or set HOOKFLOW_ENCRYPTION_KEY',
    );
  }
  const mode = statSync(path).mode & 0o777;
  const warning =
    (mode & 0o077) !== 0
      ? `${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it`
      : undefined;
  return { key, created: false, ...(warning ? { warning } : {}) };
}

/** Writes `content` to a new file with mode 0600; fails if the file exists. */
function writeExclusive(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the key file at `path`, or creates it with a new random key (mode 0600) when it does not
 * exist. Creation is atomic: the key is written and synced to a private temporary file that is then
 * hard-linked into place, so no process ever sees a partial file, and of two processes starting
 * at once exactly one key wins and both use it.
 */
export function loadOrCreateKeyFile(path: string): KeyFile {
  try {
    return readKeyFile(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeExclusive(temporary, `${key.toString('hex')}\n`);
  try {
    linkSync(temporary, path);
    return { key, created: true };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return readKeyFile(path);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // File systems without hard links: exclusive create in place (wx) is still race-free.
    try {
      writeExclusive(path, `${key.toString('hex')}\n`);
      return { key, created: true };
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return readKeyFile(path);
      throw fallbackError;
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  }
}
