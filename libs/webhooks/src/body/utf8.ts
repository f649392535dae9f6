import { isUtf8 } from 'node:buffer';

/**
 * The second byte a UTF-8 lead byte allows (RFC 3629, table 3-7 of Unicode): the narrow ranges
 * after E0, ED, F0 and F4 refuse overlong forms, UTF-16 surrogates (an encoded lone surrogate
 * is `ED A0 80`..`ED BF BF`) and code points past U+10FFFF.
 */
function sequenceOf(lead: number): { length: number; min: number; max: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, min: 0x80, max: 0xbf };
  if (lead === 0xe0) return { length: 3, min: 0xa0, max: 0xbf };
  if (lead === 0xed) return { length: 3, min: 0x80, max: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, min: 0x80, max: 0xbf };
  if (lead === 0xf0) return { length: 4, min: 0x90, max: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, min: 0x80, max: 0xbf };
  if (lead === 0xf4) return { length: 4, min: 0x80, max: 0x8f };
  return undefined;
}

/**
 * The byte offset (from the start of `bytes`) of the first sequence in `bytes[start..]` that is
 * not well-formed UTF-8, or -1 when there is none. The common, valid case is one SIMD pass
 * (`isUtf8`); only a body that fails it is walked byte by byte to say where.
 */
export function invalidUtf8Offset(bytes: Buffer, start = 0): number {
  if (isUtf8(bytes.subarray(start))) return -1;
  let index = start;
  while (index < bytes.length) {
    const lead = bytes[index];
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const sequence = sequenceOf(lead);
    if (!sequence || index + sequence.length > bytes.length) return index;
    const second = bytes[index + 1];
    if (second < sequence.min || second > sequence.max) return index;
    for (let next = 2; next < sequence.length; next += 1) {
      if ((bytes[index + next] & 0xc0) !== 0x80) return index;
    }
    index += sequence.length;
  }
  return -1;
}
