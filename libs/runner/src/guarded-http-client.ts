import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  OutboundError,
  type OutboundHttp,
  type OutboundRequest,
  type OutboundResponse,
} from '@hookflow/engine';
import { NetworkGuard } from './network-guard';

const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Told how every call ended (metrics): the response status, or that none came. */
export interface OutboundObserver {
  outboundHttpAnswered(status: number): void;
  outboundHttpFailed(): void;
}

/**
 * Outbound HTTP for nodes: timeouts, a response size cap, and an SSRF guard that checks the
 * address actually connected to (after DNS), so a hostname cannot smuggle in a private IP.
 */
export class GuardedHttpClient implements OutboundHttp {
  private readonly guard: NetworkGuard;

  constructor(
    allowlist: readonly string[],
    private readonly observer?: OutboundObserver,
  ) {
    this.guard = new NetworkGuard(allowlist);
  }

  request(request: OutboundRequest): Promise<OutboundResponse> {
    const outcome = this.attempt(request);
    const observer = this.observer;
    if (!observer) return outcome;
    return outcome.then(
      (response) => {
        observer.outboundHttpAnswered(response.status);
        return response;
      },
      (error: unknown) => {
        observer.outboundHttpFailed();
        throw error;
      },
    );
  }

  private attempt(request: OutboundRequest): Promise<OutboundResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.reject(new OutboundError('blocked', `"${request.url}" is not a valid URL`));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new OutboundError('blocked', `${url.protocol} URLs are not allowed`));
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const hostAllowed = this.guard.isHostAllowlisted(hostname);
    if (!hostAllowed && isIP(hostname)) {
      const reason = this.guard.check(hostname);
      if (reason) return Promise.reject(new OutboundError('blocked', reason));
    }
    const guardedLookup: LookupFunction = (host, options, callback) => {
      dnsLookup(host, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 4);
        const usable = hostAllowed
          ? addresses
          : addresses.filter((entry) => this.guard.check(entry.address) === undefined);
        if (usable.length === 0) {
          const reason = this.guard.check(addresses[0]?.address ?? '') ?? 'no address';
          return callback(new OutboundError('blocked', `${host} resolves to ${reason}`), '', 4);
        }
        if (options.all) return callback(null, usable);
        return callback(null, usable[0].address, usable[0].family);
      });
    };
    return this.send(url, request, guardedLookup);
  }

  private send(
    url: URL,
    request: OutboundRequest,
    lookup: LookupFunction,
  ): Promise<OutboundResponse> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const outgoing = transport.request(
        url,
        {
          method: request.method,
          headers: {
            'user-agent': 'Hookflow/0.1',
            ...request.headers,
            ...(request.body !== undefined
              ? { 'content-length': String(Buffer.byteLength(request.body)) }
              : {}),
          },
          lookup,
          signal: request.signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              outgoing.destroy(
                new OutboundError(
                  'too_large',
                  `response is larger than ${MAX_RESPONSE_BYTES} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({
              status: response.statusCode ?? 0,
              headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          response.on('error', (error) => reject(explain(error, url)));
        },
      );
      // One deadline for the whole exchange: a server dripping bytes cannot hold a node forever.
      const deadline = setTimeout(() => {
        outgoing.destroy(
          new OutboundError(
            'timeout',
            `${url.origin} did not answer within ${request.timeoutMs} ms`,
          ),
        );
      }, request.timeoutMs);
      outgoing.on('close', () => clearTimeout(deadline));
      outgoing.on('error', (error) => reject(explain(error, url)));
      outgoing.end(request.body);
    });
  }
}

function explain(error: Error, url: URL): OutboundError {
  if (error instanceof OutboundError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new OutboundError('network', `${url.origin}: ${code ?? error.message}`);
}
