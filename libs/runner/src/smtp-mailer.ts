import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import {
  OutboundError,
  SmtpReplyError,
  type MailMessage,
  type MailReceipt,
  type OutboundMail,
  type SmtpServerConfig,
} from '@hookflow/engine';
import { NetworkGuard } from './network-guard';

export interface SmtpMailerOptions {
  /** Hosts, IPs and CIDRs that may be reached although private (HOOKFLOW_OUTBOUND_ALLOW). */
  allowlist: readonly string[];
  dnsTimeoutMs?: number;
  /** Until the TCP (or TLS) connection stands. */
  connectionTimeoutMs?: number;
  /** Until the server's greeting after connecting. */
  greetingTimeoutMs?: number;
  /** Longest silence of the server during the exchange. */
  socketTimeoutMs?: number;
}

/** Where to connect: the address that passed the guard, and the name to verify TLS against. */
interface Target {
  address: string;
  servername?: string;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function addressText(entry: string | Mail.Address): string {
  return typeof entry === 'string' ? entry : entry.address;
}

/**
 * Outbound SMTP for nodes, with nodemailer. The SMTP host goes through the same private-address
 * rule as outbound HTTP: it is resolved here, the resolved address is checked, and nodemailer
 * connects to that address (TLS still verifies the hostname), so DNS cannot swap in another.
 */
export class SmtpMailer implements OutboundMail {
  private readonly guard: NetworkGuard;
  private readonly timeouts: Required<Omit<SmtpMailerOptions, 'allowlist'>>;

  constructor(options: SmtpMailerOptions) {
    this.guard = new NetworkGuard(options.allowlist);
    this.timeouts = {
      dnsTimeoutMs: options.dnsTimeoutMs ?? 10_000,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 10_000,
      greetingTimeoutMs: options.greetingTimeoutMs ?? 10_000,
      socketTimeoutMs: options.socketTimeoutMs ?? 30_000,
    };
  }

  async send(message: MailMessage, server: SmtpServerConfig): Promise<MailReceipt> {
    const target = await this.resolve(server.host);
    // nodemailer loads with the first message, not with every process that never sends one.
    const { createTransport } = await import('nodemailer');
    const transport = createTransport({
      host: target.address,
      port: server.port,
      secure: server.secure,
      ...(target.servername ? { tls: { servername: target.servername } } : {}),
      // A password crosses the network only encrypted, loopback aside.
      requireTLS: !server.secure && server.password !== undefined && !LOOPBACK.test(target.address),
      ...(server.username !== undefined
        ? { auth: { user: server.username, pass: server.password ?? '' } }
        : {}),
      connectionTimeout: this.timeouts.connectionTimeoutMs,
      greetingTimeout: this.timeouts.greetingTimeoutMs,
      socketTimeout: this.timeouts.socketTimeoutMs,
      // Attachments are strings from the flow; never let a message read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    });
    try {
      const info: SMTPTransport.SentMessageInfo = await transport.sendMail({
        ...message,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(addressText),
        rejected: info.rejected.map(addressText),
      };
    } catch (error) {
      throw explain(error, `${server.host}:${server.port}`);
    } finally {
      transport.close();
    }
  }

  private async resolve(rawHost: string): Promise<Target> {
    const host = rawHost.replace(/^\[|\]$/g, '');
    const allowlisted = this.guard.isHostAllowlisted(host);
    if (isIP(host)) {
      const reason = allowlisted ? undefined : this.guard.check(host);
      if (reason) throw new OutboundError('blocked', `SMTP host ${reason}`);
      return { address: host };
    }
    const addresses = await this.lookup(host);
    const usable = allowlisted
      ? addresses
      : addresses.filter((address) => this.guard.check(address) === undefined);
    if (usable.length === 0) {
      const reason = this.guard.check(addresses[0] ?? '') ?? 'no address';
      throw new OutboundError('blocked', `SMTP host ${host} resolves to ${reason}`);
    }
    return { address: usable[0], servername: host };
  }

  private async lookup(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OutboundError('timeout', `SMTP host ${host} did not resolve in time`)),
        this.timeouts.dnsTimeoutMs,
      );
    });
    try {
      const found = await Promise.race([lookup(host, { all: true }), deadline]);
      return found.map((entry) => entry.address);
    } catch (error) {
      if (error instanceof OutboundError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new OutboundError('network', `SMTP host ${host} does not resolve (${code})`);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  message: string;
}

function asNodemailerError(error: unknown): NodemailerError {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, responseCode } = error as Error & { code?: unknown; responseCode?: unknown };
  return {
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
  };
}

/** nodemailer's errors as the engine's: SMTP replies, timeouts, connection trouble. */
function explain(error: unknown, where: string): Error {
  const { code, responseCode, message } = asNodemailerError(error);
  if (code === 'EAUTH')
    return new SmtpReplyError('auth', `SMTP login refused: ${message}`, responseCode);
  if (responseCode !== undefined && responseCode >= 400) {
    return new SmtpReplyError('rejected', `SMTP server ${where} refused: ${message}`, responseCode);
  }
  if (code === 'ETIMEDOUT') return new OutboundError('timeout', `SMTP ${where}: ${message}`);
  return new OutboundError('network', `SMTP ${where}: ${message}`);
}
