import { createHash, randomBytes, randomUUID } from 'node:crypto';

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
  const time = ms.toString(16).padStart(12, '0');
  // randomUUID's last two groups carry the RFC variant bits and 62 random bits.
  const random = randomUUID().slice(19);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${random}`;
}

/** 192 random bits, URL-safe: the unguessable part of a hook URL. */
export const newHookId = (): string => randomBytes(24).toString('base64url');

export const newApiKey = (): string => `hf_${randomBytes(24).toString('base64url')}`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
