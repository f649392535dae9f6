import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** 192 random bits, URL-safe: the unguessable part of a hook URL. */
export const newHookId = (): string => randomBytes(24).toString('base64url');

export const newApiKey = (): string => `hf_${randomBytes(24).toString('base64url')}`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
