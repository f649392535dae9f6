import { lookup } from 'node:dns/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { OutboundError, SmtpReplyError, type MailMessage } from '@hookflow/engine';
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server';
import { SmtpMailer } from './smtp-mailer';

/** Every server here listens on 127.0.0.1; the mailer must refuse it unless allowlisted. */

const message: MailMessage = {
  from: 'Shop <shop@example.test>',
  to: 'ada@example.test, "Bob" <bob@example.test>',
  subject: 'Payment received',
  text: 'Thanks for 250 USD',
  html: '<p>Thanks for <b>250</b> USD</p>',
  attachments: [{ filename: 'receipt.txt', content: 'paid in full', contentType: 'text/plain' }],
  messageId: '<exec-1=3anotify@example.test>',
};

describe('SmtpMailer', () => {
  let smtp: TestSmtpServer;
  beforeEach(async () => {
    smtp = await startSmtpServer({ mailer: 'hunter22' });
  });
  afterEach(async () => {
    await smtp.close();
  });

  const server = (extra: Record<string, unknown> = {}) => ({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    ...extra,
  });

  it('delivers to an allowlisted address and reports the message id and recipients', async () => {
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    const receipt = await mailer.send(message, server());
    expect(receipt).toEqual({
      messageId: '<exec-1=3anotify@example.test>',
      accepted: ['ada@example.test', 'bob@example.test'],
      rejected: [],
    });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.from).toBe('shop@example.test');
    expect(mail.to).toEqual(['ada@example.test', 'bob@example.test']);
    expect(mail.headers).toMatchObject({
      subject: 'Payment received',
      from: 'Shop <shop@example.test>',
      'message-id': '<exec-1=3anotify@example.test>',
    });
    expect(mail.raw).toContain('Thanks for 250 USD');
    expect(mail.raw).toContain('<b>250</b>');
    expect(mail.raw).toContain('filename=receipt.txt');
    expect(mail.raw).toContain(Buffer.from('paid in full').toString('base64'));
  });

  it('logs in with the credential when it has a username', async () => {
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    await mailer.send(message, server({ username: 'mailer', password: 'hunter22' }));
    expect(smtp.received[0].user).toBe('mailer');
  });

  it('refuses a loopback SMTP host that is not allowlisted, before connecting', async () => {
    const mailer = new SmtpMailer({ allowlist: [] });
    const error = await mailer.send(message, server()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutboundError);
    expect(error).toMatchObject({ code: 'blocked' });
    expect((error as Error).message).toMatch(
      /private, loopback or link-local.*HOOKFLOW_OUTBOUND_ALLOW/,
    );
    expect(smtp.connections).toBe(0);
  });

  it('checks the address a hostname resolves to, not the name', async () => {
    const mailer = new SmtpMailer({ allowlist: [] });
    await expect(mailer.send(message, server({ host: 'localhost' }))).rejects.toMatchObject({
      code: 'blocked',
      message: expect.stringContaining('SMTP host localhost resolves to'),
    });
    expect(smtp.connections).toBe(0);
  });

  it('lets an allowlisted hostname through to whatever it resolves to', async () => {
    // A server on the address localhost resolves to first here (127.0.0.1 or ::1), so the test
    // runs, and can fail, on every machine.
    const local = await startSmtpServer({}, (await lookup('localhost')).address);
    try {
      const mailer = new SmtpMailer({ allowlist: ['localhost'] });
      const receipt = await mailer.send(message, {
        host: 'localhost',
        port: local.port,
        secure: false,
      });
      expect(receipt.accepted).toHaveLength(2);
      expect(local.received).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('reports a refused login as an auth reply error with its code', async () => {
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    const error = await mailer
      .send(message, server({ username: 'mailer', password: 'wrong-one' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error).toMatchObject({ kind: 'auth', responseCode: 535 });
    expect((error as Error).message).not.toContain('wrong-one');
    expect(smtp.received).toHaveLength(0);
  });

  it.each([
    [550, 'mailbox unavailable'],
    [451, 'try again later'],
  ])('reports a %i reply to every recipient as a rejected reply error', async (code, text) => {
    smtp.refuseRecipient(() => ({ code, message: text }));
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    const error = await mailer.send(message, server()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error).toMatchObject({ kind: 'rejected', responseCode: code });
    expect((error as Error).message).toContain(text);
  });

  it('sends to the accepted recipients and lists the refused ones', async () => {
    smtp.refuseRecipient((address) =>
      address.startsWith('bob') ? { code: 550, message: 'no such user' } : undefined,
    );
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    const receipt = await mailer.send(message, server());
    expect(receipt.accepted).toEqual(['ada@example.test']);
    expect(receipt.rejected).toEqual(['bob@example.test']);
    expect(smtp.received[0].to).toEqual(['ada@example.test']);
  });

  it('gives up on a server that accepts the connection but never greets', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'], greetingTimeoutMs: 200 });
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const error = await mailer
        .send(message, { host: '127.0.0.1', port, secure: false })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OutboundError);
      expect(error).toMatchObject({ code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports a closed port as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mailer = new SmtpMailer({ allowlist: ['127.0.0.1'] });
    await expect(
      mailer.send(message, { host: '127.0.0.1', port, secure: false }),
    ).rejects.toMatchObject({ code: 'network' });
  });
});
