import type { TestSmtpServer } from './smtp-server';
import type { TestApp } from './test-app';

export interface CredentialInput {
  name: string;
  type: string;
  data: unknown;
}

/** An `smtp` credential for the loopback SMTP server, logging in when `login` is given. */
export function smtpCredential(
  name: string,
  smtp: TestSmtpServer,
  options: { login?: { username: string; password: string }; from: string },
): CredentialInput {
  return {
    name,
    type: 'smtp',
    data: {
      host: smtp.host,
      port: smtp.port,
      secure: false,
      ...(options.login ?? {}),
      from: options.from,
    },
  };
}

/** Creates each credential through the API, as a user would; every one must answer 201. */
export async function createCredentials(
  app: TestApp,
  credentials: readonly CredentialInput[],
): Promise<void> {
  for (const body of credentials) {
    expect((await app.api('POST', '/api/credentials', { body })).status).toBe(201);
  }
}
