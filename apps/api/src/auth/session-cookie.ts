import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HookflowConfig } from '@hookflow/common';

export const SESSION_COOKIE = 'hookflow_session';
/** What a signed-in browser sends with every change (cookies are sent by the browser anyway). */
export const CSRF_HEADER = 'x-hookflow-csrf';

/*
 * One cookie, a base64url token: read and written here rather than through @fastify/cookie, whose
 * current version loads its parser with a dynamic ESM import at registration (and the app would
 * then depend on the loader it runs under for one header).
 */

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

function cookieHeader(config: HookflowConfig, value: string, expires: Date): string {
  const attributes = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Expires=${expires.toUTCString()}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (config.publicUrl.startsWith('https://')) attributes.push('Secure');
  return attributes.join('; ');
}

/** HttpOnly, SameSite=Strict, Path=/, and Secure when Hookflow is served over https. */
export function setSessionCookie(
  reply: FastifyReply,
  config: HookflowConfig,
  token: string,
  expiresAt: Date,
): void {
  void reply.header('set-cookie', cookieHeader(config, token, expiresAt));
}

export function clearSessionCookie(reply: FastifyReply, config: HookflowConfig): void {
  void reply.header('set-cookie', cookieHeader(config, '', new Date(0)));
}

/**
 * A cookie-authenticated change must prove it comes from Hookflow's own pages: the custom header
 * (a cross-site form cannot set it, and cross-site fetch with it needs a CORS preflight we never
 * grant) or an Origin equal to this server's.
 */
export function isSameOriginChange(request: FastifyRequest, config: HookflowConfig): boolean {
  if (request.headers[CSRF_HEADER] !== undefined) return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  const host = request.headers.host;
  const ownOrigins = [new URL(config.publicUrl).origin];
  if (host) ownOrigins.push(`http://${host}`, `https://${host}`);
  return ownOrigins.includes(origin);
}
