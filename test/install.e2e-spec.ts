import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';

/**
 * `npm ci` warns EBADENGINE for every locked package whose `engines.node` the running Node does
 * not satisfy. package.json declares the oldest Node we support; every package in the lock file
 * must accept it (content-disposition 3 asked for Node 22 through @fastify/static: overridden).
 */
const ROOT = join(__dirname, '..');
const read = <T>(file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

describe('install', () => {
  const manifest = read<{ engines: { node: string } }>('package.json');
  const lock = read<{ packages: Record<string, LockedPackage> }>('package-lock.json');
  const oldestNode = minVersion(manifest.engines.node);

  it('declares an oldest Node version', () => {
    expect(oldestNode?.major).toBe(20);
  });

  it('locks no package that refuses the declared Node versions (no EBADENGINE on npm ci)', () => {
    // The machines run Node 20; vite (dev only) needs 20.19 of it.
    const declared = ['20.19.0', process.versions.node];
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional)
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        if (!range) return [];
        const refused = declared.filter((node) => !satisfies(node, range));
        return refused.length > 0 ? [`${path}@${entry.version}: node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
