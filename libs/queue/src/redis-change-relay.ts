import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import {
  ChangeFeed,
  HOOKFLOW_CONFIG,
  LOGGER,
  createRedisClient,
  newId,
  type Change,
  type ChangeRelay,
  type HookflowConfig,
} from '@hookflow/common';

interface Envelope {
  /** The process that published: it applied the change already and skips its own echo. */
  origin: string;
  change: Change;
}

const CHANGE_KINDS = new Set<Change['kind']>(['flow', 'credential', 'api-key', 'session']);

/** A message from the channel, or undefined when it is not one of ours (never trusted blindly). */
function envelopeOf(text: string): Envelope | undefined {
  try {
    const value = JSON.parse(text) as Partial<Envelope>;
    const change = value.change as Record<string, unknown> | undefined;
    if (typeof value.origin !== 'string' || !change) return undefined;
    if (!CHANGE_KINDS.has(change.kind as Change['kind'])) return undefined;
    const field = { flow: 'flowId', credential: 'name', 'api-key': 'keyId', session: 'tokenHash' }[
      change.kind as 'flow' | 'credential' | 'api-key' | 'session'
    ];
    if (typeof change[field] !== 'string') return undefined;
    return value as Envelope;
  } catch {
    return undefined;
  }
}

/**
 * Queue mode: carries changes between the API and worker processes over Redis pub/sub, so a flow
 * disabled, a credential rotated or a key revoked through one process is in effect in all of
 * them within a round trip. Pub/sub does not keep messages for a disconnected subscriber: after
 * a reconnect every process forgets all its cached copies (the TTLs would do it too, later).
 */
@Injectable()
export class RedisChangeRelay implements ChangeRelay, OnModuleInit, OnApplicationShutdown {
  private readonly origin = newId();
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.channel = `${config.queuePrefix}:changes`;
  }

  async onModuleInit(): Promise<void> {
    const url = this.config.redisUrl;
    if (!url) return;
    this.publisher = createRedisClient(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.subscriber = createRedisClient(url, { lazyConnect: true });
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    let connectedBefore = false;
    this.subscriber.on('ready', () => {
      // ioredis re-subscribes by itself; what was published meanwhile is lost.
      if (connectedBefore) this.feed.apply({ kind: 'everything' });
      connectedBefore = true;
    });
    this.subscriber.on('message', (_channel: string, text: string) => {
      const envelope = envelopeOf(text);
      if (envelope && envelope.origin !== this.origin) this.feed.apply(envelope.change);
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
    this.feed.connect(this);
  }

  send(change: Change): void {
    const message = JSON.stringify({ origin: this.origin, change } satisfies Envelope);
    this.publisher?.publish(this.channel, message).catch((error: unknown) => {
      // The other processes still see the change when their cached copy expires (the TTL).
      this.logger.warn(
        { err: error, change: change.kind },
        'change not relayed to other processes',
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }
}
