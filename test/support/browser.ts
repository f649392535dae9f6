import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REQUIRE_SERVICES } from './databases';

/** Debian's Chromium (never a downloaded browser): `apt-get install chromium`. */
export const CHROMIUM_PATH = process.env.HOOKFLOW_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT_DIR = path.resolve(__dirname, '../..');
export const EDITOR_DIST = path.join(ROOT_DIR, 'apps/editor/dist');
export const SCREENSHOT_DIR = path.join(ROOT_DIR, '.test-output/editor');
/**
 * A name that is not loopback but resolves to 127.0.0.1 inside the test browser only: the editor
 * opened at it sees what a user who opens Hookflow on a server sees.
 */
export const NON_LOOPBACK_HOST = 'hookflow-server.test';

/** Why browser tests cannot run here, or undefined. With HOOKFLOW_REQUIRE_SERVICES=1 it throws. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} is missing (apt-get install -y --no-install-recommends chromium)`;
  if (REQUIRE_SERVICES) throw new Error(`HOOKFLOW_REQUIRE_SERVICES=1 but ${reason}`);
  return reason;
}

/** The newest modification time among the editor's sources. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    return Math.max(newest, time);
  }, 0);
}

/** Builds the editor when apps/editor/dist is missing or older than its sources. */
export function ensureEditorBuilt(): void {
  const index = path.join(EDITOR_DIST, 'index.html');
  const editorDir = path.join(ROOT_DIR, 'apps/editor');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(path.join(editorDir, 'src'))) {
    return;
  }
  execFileSync('npm', ['run', '--silent', 'build:editor'], { cwd: ROOT_DIR, stdio: 'inherit' });
}

/** Empties a screenshot folder so it shows this run only. */
export function freshScreenshotDir(dir: string = SCREENSHOT_DIR): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP ${NON_LOOPBACK_HOST} 127.0.0.1`,
    ],
  });
}
