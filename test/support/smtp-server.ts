import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients (MAIL FROM, RCPT TO). */
  from: string;
  to: string[];
  /** Who logged in, when someone did. */
  user?: string;
  /** Header fields, names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  /** The whole message as received. */
  raw: string;
}

/** An SMTP reply refusing a recipient, e.g. `{ code: 550, message: 'no such user' }`. */
export interface Refusal {
  code: number;
  message: string;
}

/** A real SMTP server on loopback: records what it gets, refuses what the test says. */
export interface TestSmtpServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** TCP connections accepted: 0 proves a client was stopped before connecting. */
  connections: number;
  refuseRecipient(next: (address: string) => Refusal | undefined): void;
  close(): Promise<void>;
}

function parseHeaders(raw: string): Record<string, string> {
  const end = raw.indexOf('\r\n\r\n');
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function failure(refusal: Refusal): Error {
  return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
}

/**
 * Starts an SMTP server on 127.0.0.1 (random port) without TLS; `users` may log in (plaintext
 * login is allowed, as it is loopback only), everyone else may send without logging in.
 */
export async function startSmtpServer(
  users: Record<string, string> = {},
  /** A loopback address to listen on: 127.0.0.1, or ::1 where `localhost` means that first. */
  host = '127.0.0.1',
): Promise<TestSmtpServer> {
  let refuse: (address: string) => Refusal | undefined = () => undefined;
  const test: TestSmtpServer = {
    host,
    port: 0,
    received: [],
    connections: 0,
    refuseRecipient: (next) => (refuse = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, callback) {
      test.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username !== undefined && users[auth.username] === auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(failure({ code: 535, message: 'Authentication failed' }));
      }
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = refuse(address.address);
      callback(refusal ? failure(refusal) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeFrom = session.envelope.mailFrom;
        test.received.push({
          from: envelopeFrom ? envelopeFrom.address : '',
          to: session.envelope.rcptTo.map((address) => address.address),
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
          headers: parseHeaders(raw),
          raw,
        });
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  test.port = (server.server.address() as AddressInfo).port;
  return test;
}
