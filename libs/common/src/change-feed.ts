/**
 * A change that cached copies depend on. Every process applies it to its caches at once; in
 * queue mode it travels between processes on Redis (see libs/queue/src/redis-change-relay.ts).
 */
export type Change =
  /** A flow was saved, published, enabled, disabled or deleted: its hook targets are stale. */
  | { kind: 'flow'; flowId: string }
  /** A credential was created, rotated or deleted: its decrypted copy is stale. */
  | { kind: 'credential'; name: string }
  /** An API key was revoked. */
  | { kind: 'api-key'; keyId: string }
  /** A session ended (sign-out), by the hash of its token. */
  | { kind: 'session'; tokenHash: string }
  /** Changes may have been missed (the relay reconnected): forget every cached copy. */
  | { kind: 'everything' };

export type ChangeListener = (change: Change) => void;

/** Something that carries changes to the other processes of an installation. */
export interface ChangeRelay {
  send(change: Change): void;
}

/**
 * The one way a process announces and hears changes. `publish` applies a change here at once
 * (synchronously, before the caller answers) and hands it to the relay for the other processes;
 * the relay calls `apply` with what the others published. Embedded mode has no relay.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private relay?: ChangeRelay;

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: Change): void {
    this.apply(change);
    this.relay?.send(change);
  }

  /** A change heard from another process (or a reconnect): applied here only. */
  apply(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }

  connect(relay: ChangeRelay): void {
    this.relay = relay;
  }
}
