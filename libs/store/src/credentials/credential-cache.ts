import type { ResolvedCredential } from '@hookflow/common';

/** How long a decrypted credential is reused before it is read (and decrypted) again. */
export const CREDENTIAL_CACHE_TTL_MS = 30_000;

interface Entry {
  value: ResolvedCredential;
  expiresAt: number;
}

/**
 * Decrypted credentials by name, for a short time. Every invalidation bumps a generation, and a
 * value read before an invalidation is not stored after it: a resolve racing an update can never
 * put the old secret back for a whole TTL.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private generationCounter = 0;

  constructor(
    private readonly ttlMs = CREDENTIAL_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Take this before reading the database; pass it to `set`. */
  get generation(): number {
    return this.generationCounter;
  }

  get(name: string): ResolvedCredential | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(name);
      return undefined;
    }
    return structuredClone(entry.value);
  }

  set(name: string, value: ResolvedCredential, generation: number): void {
    if (generation !== this.generationCounter || this.ttlMs <= 0) return;
    this.entries.set(name, { value: structuredClone(value), expiresAt: this.now() + this.ttlMs });
  }

  invalidate(name?: string): void {
    this.generationCounter += 1;
    if (name === undefined) this.entries.clear();
    else this.entries.delete(name);
  }
}
