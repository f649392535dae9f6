import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** A body slower than the minimum rate is given this long before it is judged. */
export const MIN_RATE_GRACE_MS = 2000;
/** How often bodies being received are checked against their deadline and rate. */
const SWEEP_MS = 250;

export interface SlowSenderLimits {
  /** Requests received at once from one client address; 0: no limit. */
  perClient: number;
  /** The whole body must arrive within this. */
  bodyTimeoutMs: number;
  /** Average bytes per second once the grace has passed; 0: no minimum. */
  minBytesPerSecond: number;
}

/** One webhook request whose body is being received. */
export interface Receipt {
  readonly client: string;
  readonly startedAt: number;
  /** The socket's byte count where this body began (keep-alive sockets carry earlier ones). */
  readonly bytesAtStart: number;
  readonly socket: Socket;
  /** Called once when the guard gives up on this body: answer 408 and close. */
  readonly cut: (reason: string) => void;
}

/** The size of a request's head as sent (request line, headers, blank line), near enough. */
function headLength(request: IncomingMessage): number {
  let length = (request.method?.length ?? 0) + (request.url?.length ?? 0) + 13;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    length += raw[index].length + raw[index + 1].length + 4;
  }
  return length + 2;
}

export type Admission = { ok: true; receipt: Receipt } | { ok: false; reason: string };

/**
 * Keeps one client from holding every intake slot with bodies it never finishes (slowloris):
 * a cap per client address on requests being received at once, a deadline for the whole body
 * and a minimum average rate. A request counts until its body is read (or it ends); one timer
 * checks every body being received, so the cost per request is a set insert and delete.
 */
export class SlowSenderGuard {
  private readonly receiving = new Set<Receipt>();
  private readonly perClient = new Map<string, number>();
  /** Where the last finished request on a keep-alive socket ended, in bytes read. */
  private readonly endedAt = new WeakMap<Socket, number>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly limits: SlowSenderLimits,
    private readonly now: () => number = Date.now,
  ) {}

  admit(client: string, request: IncomingMessage, cut: (reason: string) => void): Admission {
    const count = this.perClient.get(client) ?? 0;
    if (this.limits.perClient > 0 && count >= this.limits.perClient) {
      return {
        ok: false,
        reason: `more than ${this.limits.perClient} deliveries from ${client} are being received at once`,
      };
    }
    this.perClient.set(client, count + 1);
    const socket = request.socket;
    const receipt: Receipt = {
      client,
      startedAt: this.now(),
      // The socket may already have read part of the body with the head (one TCP read): the
      // body starts after this request's head, itself after the requests before it.
      bytesAtStart: (this.endedAt.get(socket) ?? 0) + headLength(request),
      socket,
      cut,
    };
    this.receiving.add(receipt);
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
      this.sweeper.unref();
    }
    return { ok: true, receipt };
  }

  /** The body is in (or the request ended): it no longer counts against its client. */
  release(receipt: Receipt): void {
    if (!this.receiving.delete(receipt)) return;
    const count = (this.perClient.get(receipt.client) ?? 1) - 1;
    if (count <= 0) this.perClient.delete(receipt.client);
    else this.perClient.set(receipt.client, count);
    if (this.receiving.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /** A request on `socket` was answered: the next one's bytes start here. */
  requestEnded(socket: Socket): void {
    this.endedAt.set(socket, socket.bytesRead);
  }

  /** Bodies being received right now (for tests and metrics). */
  get size(): number {
    return this.receiving.size;
  }

  /** Why this body is too slow at `now`, or undefined while it is within its limits. */
  verdict(receipt: Receipt, now = this.now()): string | undefined {
    const elapsedMs = now - receipt.startedAt;
    if (elapsedMs >= this.limits.bodyTimeoutMs) {
      return `the body did not arrive within ${this.limits.bodyTimeoutMs} ms`;
    }
    if (this.limits.minBytesPerSecond > 0 && elapsedMs >= MIN_RATE_GRACE_MS) {
      const received = receipt.socket.bytesRead - receipt.bytesAtStart;
      if ((received * 1000) / elapsedMs < this.limits.minBytesPerSecond) {
        return `the body arrived slower than ${this.limits.minBytesPerSecond} bytes/s`;
      }
    }
    return undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const receipt of this.receiving) {
      const reason = this.verdict(receipt, now);
      if (reason === undefined) continue;
      this.release(receipt);
      receipt.cut(reason);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
