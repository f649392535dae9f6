import { createHash, randomBytes, randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * of one process ascending within a millisecond, then 62 random bits. Ids that ascend with time
 * append to the right edge of every primary-key and index B-tree, so a batch of new rows dirties
 * a few pages instead of one random page per row and index (SQLite and PostgreSQL alike).
 */
export function newId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else {
    counter += 1;
    if (counter > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next one, so order still holds.
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  }
  if (ms !== prefixMs) {
    const time = ms.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixMs = ms;
  }
  return `${prefix}${HEX3[counter]}-${randomTail()}`;
}

/** The first groups of the ids of one millisecond (`prefixMs`), made once for all of them. */
let prefixMs = -1;
let prefix = '';
/** The counter as three hex digits. */
const HEX3 = Array.from({ length: 0x1000 }, (_, value) => value.toString(16).padStart(3, '0'));

/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes drawn 8 at a time: one system call per 512 ids, not one per id. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** The last two groups: the RFC variant bits (10) and 62 random bits, as `xxxx-xxxxxxxxxxxx`. */
function randomTail(): string {
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += 8;
  return (
    HEX[(pool[at] & 0x3f) | 0x80] +
    HEX[pool[at + 1]] +
    '-' +
    HEX[pool[at + 2]] +
    HEX[pool[at + 3]] +
    HEX[pool[at + 4]] +
    HEX[pool[at + 5]] +
    HEX[pool[at + 6]] +
    HEX[pool[at + 7]]
  );
}

/** 192 random bits, URL-safe: the unguessable part of a hook URL. */
export const newHookId = (): string => randomBytes(24).toString('base64url');

export const newApiKey = (): string => `hf_${randomBytes(24).toString('base64url')}`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
