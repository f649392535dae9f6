import { PassThrough } from 'node:stream';
import { BIG_BODY_BYTES, BigBodyMemory } from '@hookflow/common';
import { allocateBigBuffer, readBody } from './body-reader';

interface Outcome {
  error: (Error & { code?: string; statusCode?: number }) | null;
  body?: Buffer;
}

/** Feeds `chunks` into readBody as a request stream would, then ends it (or fails it). */
function read(
  chunks: Buffer[],
  options: { contentLength?: number; limit?: number; fail?: Error; memory?: BigBodyMemory } = {},
): Promise<Outcome> {
  const stream = new PassThrough();
  const outcome = new Promise<Outcome>((resolve) => {
    readBody(
      stream,
      options.contentLength === undefined ? undefined : String(options.contentLength),
      {
        limit: options.limit ?? 64 * BIG_BODY_BYTES,
        memory: options.memory ?? new BigBodyMemory(),
      },
      (error, body) => resolve({ error, body }),
    );
  });
  for (const chunk of chunks) stream.write(chunk);
  if (options.fail) stream.destroy(options.fail);
  else stream.end();
  return outcome;
}

/** `total` bytes of varied content, in chunks of at most 64 KiB like a socket's reads. */
function chunked(total: number): { whole: Buffer; chunks: Buffer[] } {
  const whole = Buffer.alloc(total);
  for (let index = 0; index < total; index += 1) whole[index] = (index * 31 + 7) % 251;
  const chunks: Buffer[] = [];
  for (let start = 0; start < total; start += 65_536) {
    chunks.push(whole.subarray(start, Math.min(start + 65_536, total)));
  }
  return { whole, chunks };
}

describe('readBody', () => {
  it('joins a small body as it came', async () => {
    const outcome = await read([Buffer.from('{"a":'), Buffer.from('1}')], { contentLength: 7 });
    expect(outcome.error).toBeNull();
    expect(outcome.body?.toString()).toBe('{"a":1}');
  });

  it('reads a big body into one buffer of exactly its size', async () => {
    const size = 3 * BIG_BODY_BYTES + 12_345;
    const { whole, chunks } = chunked(size);
    const outcome = await read(chunks, { contentLength: size });
    expect(outcome.error).toBeNull();
    expect(outcome.body?.length).toBe(size);
    expect(outcome.body?.equals(whole)).toBe(true);
  });

  it('reads a big body without Content-Length (chunked) as well', async () => {
    const { whole, chunks } = chunked(2 * BIG_BODY_BYTES + 1);
    const outcome = await read(chunks);
    expect(outcome.error).toBeNull();
    expect(outcome.body?.equals(whole)).toBe(true);
  });

  it('refuses a Content-Length over the limit before reading (413)', async () => {
    const outcome = await read([], { contentLength: 2000, limit: 1000 });
    expect(outcome.error?.code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    expect(outcome.error?.statusCode).toBe(413);
  });

  it('refuses a body that grows over the limit without Content-Length (413)', async () => {
    const { chunks } = chunked(3000);
    const outcome = await read(chunks, { limit: 1000 });
    expect(outcome.error?.statusCode).toBe(413);
  });

  it('refuses a big body that ends short of its Content-Length (400)', async () => {
    const size = 2 * BIG_BODY_BYTES;
    const { chunks } = chunked(size - 10);
    const outcome = await read(chunks, { contentLength: size });
    expect(outcome.error?.code).toBe('FST_ERR_CTP_INVALID_CONTENT_LENGTH');
    expect(outcome.error?.statusCode).toBe(400);
  });

  it('refuses a big body that runs past its Content-Length (400)', async () => {
    const size = 2 * BIG_BODY_BYTES;
    const { chunks } = chunked(size + 10);
    const outcome = await read(chunks, { contentLength: size });
    expect(outcome.error?.code).toBe('FST_ERR_CTP_INVALID_CONTENT_LENGTH');
  });

  it('answers 400 when the request fails while its body arrives', async () => {
    const { chunks } = chunked(2 * BIG_BODY_BYTES);
    const outcome = await read(chunks.slice(0, 3), {
      contentLength: 2 * BIG_BODY_BYTES,
      fail: new Error('aborted'),
    });
    expect(outcome.error?.message).toBe('aborted');
    expect(outcome.error?.statusCode).toBe(400);
  });

  it('tells the memory policy what it copied of a big body, and nothing of a small one', async () => {
    let copied = 0;
    const memory = new BigBodyMemory(() => undefined);
    memory.copied = (bytes: number) => {
      copied += bytes;
    };
    const size = 2 * BIG_BODY_BYTES + 5;
    await read(chunked(size).chunks, { contentLength: size, memory });
    expect(copied).toBe(size);
    copied = 0;
    await read([Buffer.from('{}')], { contentLength: 2, memory });
    expect(copied).toBe(0);
  });

  it('tells the memory policy the size of a body before it is read', async () => {
    const announced: number[] = [];
    const memory = new BigBodyMemory(() => undefined);
    memory.beforeReceive = (bytes: number) => {
      announced.push(bytes);
    };
    await read([Buffer.from('{}')], { contentLength: 2, memory });
    expect(announced).toEqual([2]);
  });
});

describe('allocateBigBuffer', () => {
  it('gives a writable buffer of exactly the size asked, however it is backed', () => {
    const buffer = allocateBigBuffer(BIG_BODY_BYTES + 3);
    expect(buffer.length).toBe(BIG_BODY_BYTES + 3);
    buffer.fill(0x61);
    expect(buffer.toString('latin1', buffer.length - 3)).toBe('aaa');
  });
});
