import {
  OutboundError,
  type CredentialSource,
  type CredentialValue,
  type HeldSideEffect,
  type JsonObject,
  type JsonValue,
  type MailMessage,
  type MailReceipt,
  type OutboundHttp,
  type OutboundMail,
  type OutboundRequest,
  type OutboundResponse,
  type SmtpServerConfig,
} from '@hookflow/engine';
import { isCredentialType, VISIBLE_FIELDS } from '@hookflow/common';
import type { AddressCheck } from './address-check';

/** What held HTTP calls answer when the recorded run has no answer for the node. */
export interface StandInResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const DEFAULT_STAND_IN: StandInResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true}',
};

const REDACTED = '[redacted]';
/** Header names whose values are credentials whatever the flow put in them. */
const SECRET_HEADER = /authorization|cookie|token|secret|password|signature|api-?key/i;
/** Shorter strings would mangle ordinary words; a real secret is never this short. */
const MIN_SECRET_LENGTH = 4;

function collectSecrets(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) into.add(value);
  else if (Array.isArray(value)) value.forEach((item) => collectSecrets(item, into));
  else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((item) => collectSecrets(item, into));
  }
}

function parsedBody(body: string | undefined): JsonValue {
  if (body === undefined) return null;
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

/** An OAuth token request (client credentials grant and the like). */
function isTokenRequest(request: OutboundRequest): boolean {
  return /(^|&)grant_type=/.test(request.body ?? '');
}

/**
 * A token answer without `expires_in`: credentials keep tokens in a cache of the process, shared
 * with real runs, and only a token with a lifetime goes there. A token a dry run made up must
 * serve that dry run alone.
 */
function withoutLifetime(body: string): string {
  const parsed = parsedBody(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  const { expires_in: _lifetime, ...rest } = parsed;
  return JSON.stringify(rest);
}

/**
 * The outbound services of a dry run: every call an impure node makes is checked against the
 * address rule, recorded (credential values and secret headers redacted) and answered with a
 * stand-in; nothing is sent, no connection is opened. One instance per dry run of one delivery.
 */
export class HeldOutbound implements OutboundHttp, OutboundMail {
  /** Calls since the last `assign`, not yet attributed to a node. */
  private pending: Array<Omit<HeldSideEffect, 'nodeId' | 'occurrence'>> = [];
  private readonly held: HeldSideEffect[] = [];
  private readonly occurrences = new Map<string, number>();
  /** Every credential value resolved in this run: redacted wherever a request quotes it. */
  private readonly secrets = new Set<string>();

  constructor(
    private readonly addresses: AddressCheck,
    private readonly standIn: StandInResponse,
  ) {}

  /** Wraps the credential store: what nodes resolve is remembered, so it can be redacted. */
  credentials(source: CredentialSource | undefined): CredentialSource {
    return {
      resolve: async (name: string): Promise<CredentialValue | undefined> => {
        const found = await source?.resolve(name);
        if (found) {
          // Fields an operator may see (an SMTP host, a username) stay readable; the rest is secret.
          const visible: readonly string[] = isCredentialType(found.type)
            ? VISIBLE_FIELDS[found.type]
            : [];
          for (const [field, value] of Object.entries(found.data)) {
            if (!visible.includes(field)) collectSecrets(value, this.secrets);
          }
        }
        return found;
      },
    };
  }

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    const blocked = await this.addresses.url(request.url);
    const headers: JsonObject = {};
    for (const [name, value] of Object.entries(request.headers)) {
      headers[name] = SECRET_HEADER.test(name) ? REDACTED : this.redact(value);
    }
    this.hold(
      'http',
      {
        method: request.method,
        url: this.redact(request.url),
        headers,
        body: this.redactJson(parsedBody(request.body)),
      },
      blocked,
    );
    if (blocked !== undefined) throw new OutboundError('blocked', blocked);
    return {
      status: this.standIn.status,
      headers: { ...this.standIn.headers },
      body: isTokenRequest(request) ? withoutLifetime(this.standIn.body) : this.standIn.body,
    };
  }

  async send(message: MailMessage, server: SmtpServerConfig): Promise<MailReceipt> {
    const blocked = await this.addresses.host(server.host);
    const request: JsonObject = {
      server: `${server.host}:${server.port}`,
      from: message.from,
      to: message.to,
      subject: message.subject,
    };
    for (const field of ['cc', 'bcc', 'replyTo', 'text', 'html'] as const) {
      const value = message[field];
      if (value !== undefined) request[field] = value;
    }
    if (message.attachments) {
      request.attachments = message.attachments.map((attachment) => attachment.filename);
    }
    this.hold('mail', this.redactJson(request) as JsonObject, blocked);
    if (blocked !== undefined) throw new OutboundError('blocked', `SMTP host ${blocked}`);
    const recipients = [message.to, message.cc, message.bcc]
      .filter((list): list is string => list !== undefined)
      .flatMap((list) => list.split(','))
      .map((address) => address.trim())
      .filter((address) => address !== '');
    return {
      messageId: message.messageId ?? '<dry-run@hookflow>',
      accepted: recipients,
      rejected: [],
    };
  }

  /** The calls made since the last assignment belong to this node's run. */
  assign(nodeId: string): void {
    for (const call of this.pending) {
      const occurrence = this.occurrences.get(nodeId) ?? 0;
      this.occurrences.set(nodeId, occurrence + 1);
      this.held.push({ nodeId, occurrence, ...call });
    }
    this.pending = [];
  }

  sideEffects(): HeldSideEffect[] {
    return this.held;
  }

  private hold(kind: HeldSideEffect['kind'], request: JsonObject, blocked?: string): void {
    this.pending.push({ kind, request, ...(blocked !== undefined ? { blocked } : {}) });
  }

  private redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  private redactJson(value: JsonValue): JsonValue {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.redactJson(item));
    if (value === null || typeof value !== 'object') return value;
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.redactJson(item);
    return out;
  }
}
