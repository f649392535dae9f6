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
 * the map is bounded and evicts the least recently used version.
 */
@Injectable()
export class CompiledFlows {
  private readonly byVersion = new Map<string, CompiledFlow>();

  constructor(
    @Inject(FlowsRepository) private readonly flows: FlowsRepository,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  /** Compiles a document that was validated when it was saved. */
  compile(versionId: string, document: unknown): CompiledFlow {
    const cached = this.byVersion.get(versionId);
    if (cached) {
      this.byVersion.delete(versionId);
      this.byVersion.set(versionId, cached);
      return cached;
    }
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
    this.byVersion.set(versionId, result.flow);
    if (this.byVersion.size > MAX_CACHED_VERSIONS) {
      const oldest = this.byVersion.keys().next().value;
      if (oldest !== undefined) this.byVersion.delete(oldest);
    }
    return result.flow;
  }

  /**
   * The compiled version; undefined when it does not exist. Throws FlowVersionInvalid when it
   * does not compile, and whatever the database throws when it cannot be read.
   */
  async load(versionId: string): Promise<CompiledFlow | undefined> {
    const cached = this.byVersion.get(versionId);
    if (cached) return cached;
    const version = await this.flows.getVersion(versionId);
    return version ? this.compile(version.id, version.document) : undefined;
  }
}
