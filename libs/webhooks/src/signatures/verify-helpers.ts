import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { refused, type SignedRequest, type VerifyResult } from './signed-request';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type DigestEncoding = 'hex' | 'base64';

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
const ALGORITHM_LABEL: Record<HmacAlgorithm, string> = {
  sha1: 'HMAC-SHA1',
  sha256: 'HMAC-SHA256',
  sha512: 'HMAC-SHA512',
};
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The trimmed value of a header, or a reason naming it as the provider spells it. */
export function readHeader(request: SignedRequest, displayName: string): Read<string> {
  const value = request.headers[displayName.toLowerCase()]?.trim();
  return value ? { ok: true, value } : { ok: false, reason: `header ${displayName} is missing` };
}

export function hmac(
  algorithm: HmacAlgorithm,
  key: string | Buffer,
  ...parts: Array<string | Buffer>
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Decodes a received signature to bytes, strictly: a digest of the wrong encoding or length
 * is named as such (it is a configuration mistake the owner can fix, and tells an attacker
 * nothing they did not send). Hex passes the base64 alphabet, so length tells the two apart.
 */
export function decodeDigest(
  text: string,
  encoding: DigestEncoding,
  algorithm: HmacAlgorithm,
  where: string,
): Read<Buffer> {
  const bytes = DIGEST_BYTES[algorithm];
  const label = ALGORITHM_LABEL[algorithm];
  if (encoding === 'hex') {
    if (HEX.test(text) && text.length === bytes * 2)
      return { ok: true, value: Buffer.from(text, 'hex') };
    return {
      ok: false,
      reason: `${where} is not a hex ${label} (${bytes * 2} hex digits expected)`,
    };
  }
  const decoded =
    BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined;
  if (decoded?.length === bytes) return { ok: true, value: decoded };
  const looksHex = HEX.test(text) && text.length === bytes * 2;
  const hint = looksHex ? ', it looks hex-encoded' : '';
  return { ok: false, reason: `${where} is not a base64 ${label}${hint}` };
}

/** Equal-length constant-time comparison; different lengths never match (lengths are public). */
export function digestsEqual(received: Buffer, expected: Buffer): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Constant-time comparison of secrets of any length: compare their SHA-256 digests. */
export function textsEqual(received: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/**
 * True when any received signature equals the digest computed with any active secret. Every
 * pair is compared in constant time; which secret matched is not secret.
 */
export function anySecretMatches<Key>(
  received: readonly Buffer[],
  keys: readonly Key[],
  sign: (key: Key) => Buffer,
): boolean {
  for (const key of keys) {
    const expected = sign(key);
    if (received.some((candidate) => digestsEqual(candidate, expected))) return true;
  }
  return false;
}

export const NO_MATCH = 'signature does not match any active secret';
export const NO_SECRETS = 'no active secret is configured for this trigger';

const UNIX_SECONDS = /^\d{1,12}$/;

export function readUnixSeconds(text: string, where: string): Read<number> {
  return UNIX_SECONDS.test(text)
    ? { ok: true, value: Number(text) }
    : { ok: false, reason: `${where} is not a Unix time in seconds` };
}

/** Refuses a signed timestamp further than `toleranceSeconds` from `now`, in either direction. */
export function checkFreshness(
  timestampSeconds: number,
  now: Date,
  toleranceSeconds: number,
): VerifyResult {
  const ageSeconds = Math.floor(now.getTime() / 1000) - timestampSeconds;
  if (ageSeconds > toleranceSeconds) {
    return refused(`timestamp is ${ageSeconds} s old, tolerance ${toleranceSeconds} s`);
  }
  if (-ageSeconds > toleranceSeconds) {
    return refused(`timestamp is ${-ageSeconds} s in the future, tolerance ${toleranceSeconds} s`);
  }
  return { ok: true };
}
