import type { Readable } from 'node:stream';
import { errorCodes } from 'fastify';
import { BIG_BODY_BYTES, type BigBodyMemory } from '@hookflow/common';

/** One WebAssembly page: what WebAssembly.Memory is sized in. */
const WASM_PAGE_BYTES = 65_536;

/** The part of the WebAssembly global used here (the DOM typings that declare it are not loaded). */
interface WasmMemories {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** Absent when node runs with `--jitless`. */
const wasm = (globalThis as { WebAssembly?: WasmMemories }).WebAssembly;

/**
 * `bytes` of memory for a big body, outside the C heap where possible. Node allocates Buffers with
 * malloc, and glibc serves a block of a few MiB from its heap once a freed one has raised its
 * mmap threshold: freed, it stays in the process (RSS) and the heap grows with every big body
 * that arrives while the previous one is still uncollected. A WebAssembly memory is mapped by V8
 * itself and unmapped when collected, so its pages go back to the system. A plain Buffer where
 * WebAssembly is missing or the mapping is refused (an address-space limit).
 */
export function allocateBigBuffer(bytes: number): Buffer {
  try {
    if (wasm) {
      const memory = new wasm.Memory({ initial: Math.ceil(bytes / WASM_PAGE_BYTES) });
      return Buffer.from(memory.buffer, 0, bytes);
    }
  } catch {
    // Refused (address space): the C heap then.
  }
  return Buffer.allocUnsafeSlow(bytes);
}

export interface BodyReadOptions {
  /** Largest body accepted, in bytes: 413 (Fastify's FST_ERR_CTP_BODY_TOO_LARGE) above. */
  limit: number;
  memory: BigBodyMemory;
}

/**
 * Reads a request body into one Buffer, as Fastify's raw-body parser does (the same errors: 413
 * over the limit, before reading when Content-Length says so; 400 when the body ends short of its
 * Content-Length or the request fails). A big body with a Content-Length is copied into memory
 * allocated once for it (see allocateBigBuffer) as it arrives, instead of a list of chunks joined
 * at the end: one copy of it at a time, not two.
 */
export function readBody(
  payload: Readable,
  contentLengthHeader: string | undefined,
  options: BodyReadOptions,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  // As Fastify reads it: a header Node's parser let through is a number.
  const contentLength = Number(contentLengthHeader);
  const known = !Number.isNaN(contentLength);
  if (contentLength > options.limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  if (known) options.memory.beforeReceive(contentLength);
  // Small bodies (and chunked ones, size unknown) as Fastify reads them.
  const target =
    known && contentLength >= BIG_BODY_BYTES ? allocateBigBuffer(contentLength) : undefined;
  const chunks: Buffer[] = [];
  let received = 0;

  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer): void {
    received += chunk.length;
    if (received > options.limit || (target !== undefined && received > target.length)) {
      stop();
      done(
        received > options.limit
          ? new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()
          : new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(),
      );
      return;
    }
    if (target) {
      chunk.copy(target, received - chunk.length);
      options.memory.copied(chunk.length);
    } else {
      chunks.push(chunk);
    }
  }
  function onEnd(error?: Error & { statusCode?: number }): void {
    stop();
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) {
        error.statusCode = 400;
      }
      done(error);
      return;
    }
    if (known && received !== contentLength) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      return;
    }
    done(null, target ?? Buffer.concat(chunks));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
