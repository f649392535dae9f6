import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_EXPRESSION_LIMITS, compileFlow, type CompiledFlow } from '@hookflow/engine';
import { HOOKFLOW_CONFIG, type HookflowConfig } from '@hookflow/common';
import { nodeRegistry } from '@hookflow/nodes';
import { FlowsRepository } from '@hookflow/store';

const MAX_CACHED_VERSIONS = 500;

/**
 * A stored flow version that does not compile: a permanent condition of that version (unlike a
 * database error while loading it, which is thrown as is and worth a retry).
 */
export class FlowVersionInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowVersionInvalid';
  }
}

/**
 * Compiled flow versions by version id. Versions are immutable, so an entry never goes stale;
 * the cache is bounded and evicts the least recently used version (every lookup counts as a use).
 */
@Injectable()
export class CompiledFlows {
  private readonly byVersion = new Map<string, { flow: CompiledFlow; usedAt: number }>();
  /** Counts lookups: the stamp that orders entries by last use. */
  private clock = 0;

  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  /** Compiles a document that was validated when it was saved. */
  compile(versionId: string, document: unknown): CompiledFlow {
    const cached = this.cached(versionId);
    if (cached) return cached;
    const result = compileFlow(document, nodeRegistry, {
      checkRegexes: false,
      limits: {
        ...DEFAULT_EXPRESSION_LIMITS,
        timeoutMs: this.config.expressionTimeoutMs,
        maxStringChars: this.config.maxOutputBytes,
        maxOutputChars: this.config.maxOutputBytes,
      },
    });
    if (!result.ok) {
      const first = result.problems[0];
      throw new FlowVersionInvalid(
        `flow version ${versionId} does not compile: ${first.path} ${first.message}`,
      );
    }
    this.byVersion.set(versionId, { flow: result.flow, usedAt: ++this.clock });
    if (this.byVersion.size > MAX_CACHED_VERSIONS) this.evictOldest();
    return result.flow;
  }

  /**
   * The compiled version; undefined when it does not exist. Throws FlowVersionInvalid when it
   * does not compile, and whatever the database throws when it cannot be read.
   */
  async load(versionId: string): Promise<CompiledFlow | undefined> {
    const cached = this.cached(versionId);
    if (cached) return cached;
    const version = await this.flows.getVersion(versionId);
    return version ? this.compile(version.id, version.document) : undefined;
  }

  /**
   * A hit, stamped as used now. Every lookup goes through here, the intake's and the runner's
   * `load` included. Kept over the lru-cache package (one-line reason: a stamp on hit and a scan
   * on the rare eviction is all this cache needs): a hit costs a Map get and a field write
   * (~90 ns here, the same as a plain get), where re-inserting into the Map cost ~1 µs.
   */
  private cached(versionId: string): CompiledFlow | undefined {
    const entry = this.byVersion.get(versionId);
    if (entry === undefined) return undefined;
    entry.usedAt = ++this.clock;
    return entry.flow;
  }

  /** Drops the least recently used version: a scan, only when a new version overflows the cache. */
  private evictOldest(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [versionId, entry] of this.byVersion) {
      if (entry.usedAt < oldestUse) {
        oldestUse = entry.usedAt;
        oldest = versionId;
      }
    }
    if (oldest !== undefined) this.byVersion.delete(oldest);
  }
}
