/**
 * The one door to SMTP for nodes. The runner implements it with nodemailer behind the same
 * private-address guard as outbound HTTP; engine and node tests implement it with a fake.
 */
export interface MailAttachment {
  filename: string;
  /** UTF-8 text; sent as given, never read from a path or URL. */
  content: string;
  contentType?: string;
}

export interface MailMessage {
  from: string;
  /** Address lists as written by the user (`a@x.test, "B" <b@x.test>`). */
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: MailAttachment[];
  /** `<...@...>`: stable per execution and node, so a resent message can be recognised. */
  messageId?: string;
  headers?: Record<string, string>;
}

/** Where to deliver: the fields of an `smtp` credential. */
export interface SmtpServerConfig {
  host: string;
  port: number;
  /** TLS from the first byte (465); false: plain, upgraded with STARTTLS when offered. */
  secure: boolean;
  username?: string;
  password?: string;
}

export interface MailReceipt {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface OutboundMail {
  send(message: MailMessage, server: SmtpServerConfig): Promise<MailReceipt>;
}

/**
 * The server answered with an SMTP error reply (or refused the login). Connection trouble,
 * timeouts and blocked addresses are `OutboundError`s, as for HTTP.
 */
export class SmtpReplyError extends Error {
  constructor(
    readonly kind: 'auth' | 'rejected',
    message: string,
    /** The SMTP reply code, e.g. 550; 4xx means "try again later". */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'SmtpReplyError';
  }
}
