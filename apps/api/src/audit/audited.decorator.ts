import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditSummary } from '@hookflow/store';

export const AUDITED = 'hookflow:audited';

export interface AuditedOptions {
  action: string;
  targetType: string;
}

/**
 * Names the audit action of a route whose path does not say it (e.g. `POST /api/setup`). Routes
 * under /api/flows, /api/credentials, /api/keys and /api/users are audited without it.
 */
export const Audited = (options: AuditedOptions) => SetMetadata(AUDITED, options);

type RequestWithNote = FastifyRequest & { auditSummary?: AuditSummary };

/** Lets a handler add what its answer does not show (a revoked key's name), never a secret. */
export function addAuditSummary(request: FastifyRequest, summary: AuditSummary): void {
  const withNote = request as RequestWithNote;
  withNote.auditSummary = { ...withNote.auditSummary, ...summary };
}

export function auditSummaryOf(request: FastifyRequest): AuditSummary {
  return (request as RequestWithNote).auditSummary ?? {};
}
