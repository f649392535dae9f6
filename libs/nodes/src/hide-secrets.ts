import { NodeFailure, OutboundError, SmtpReplyError } from '@hookflow/engine';

/** Shorter values would mangle ordinary words; a real secret is never this short. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of a secret value with `[redacted]`. */
export function hideSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out;
}

/**
 * The start of a text that is quoted in an error message (an answer's body), secrets hidden
 * first: cut first, a secret that straddles the cut would leave its prefix behind.
 */
export function excerptOf(
  text: string,
  secrets: ReadonlyArray<string | undefined>,
  maxChars: number,
): string {
  return hideSecrets(text, secrets).trim().slice(0, maxChars);
}

function withHiddenMessage(error: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
  if (!(error instanceof Error)) return error;
  const message = hideSecrets(error.message, secrets);
  if (message === error.message) return error;
  if (error instanceof NodeFailure) {
    return new NodeFailure(error.code, message, error.path, error.retry);
  }
  if (error instanceof OutboundError) return new OutboundError(error.code, message);
  if (error instanceof SmtpReplyError) {
    return new SmtpReplyError(error.kind, message, error.responseCode);
  }
  return new Error(message);
}

/**
 * Runs `work` and makes sure no error it throws quotes a credential's secret: error messages
 * are recorded in the execution, where anyone who may read runs can see them.
 */
export async function withSecretsHidden<T>(
  secrets: ReadonlyArray<string | undefined>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw withHiddenMessage(error, secrets);
  }
}
