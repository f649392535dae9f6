import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  HOOKFLOW_CONFIG,
  type ErrorDetail,
  type HookflowConfig,
  type ResolvedCredential,
} from '@hookflow/common';
import type { FlowDocument } from '@hookflow/engine';
import { CredentialsService } from '@hookflow/store';
import { signatureConfigProblems } from '@hookflow/webhooks';
import { signatureConfig, type TriggerAuth } from '../hooks/trigger-auth';

/**
 * What the intake would only find per delivery (each one a 401): a webhook trigger whose
 * credential does not exist, cannot be read, has a type that cannot verify a sender, or holds
 * secrets its scheme cannot use (a `whsec_` secret that is not base64). Checked when a flow is
 * saved, each problem with its path; a flow with such problems may be saved, but only disabled.
 */
@Injectable()
export class TriggerCredentialChecks {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(HOOKFLOW_CONFIG) private readonly config: HookflowConfig,
  ) {}

  async problems(document: FlowDocument): Promise<ErrorDetail[]> {
    const problems: ErrorDetail[] = [];
    for (const [index, node] of document.nodes.entries()) {
      const auth = node.type === 'trigger.webhook' ? node.params.auth : undefined;
      if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) continue;
      const found = await this.problemsOf(auth as unknown as TriggerAuth);
      for (const { field, message } of found) {
        problems.push({ path: `/nodes/${index}/params/auth/${field}`, message });
      }
    }
    return problems;
  }

  /** Refuses a save or an enable that would leave a live flow with these problems. */
  refuseLive(problems: ErrorDetail[]): void {
    if (problems.length === 0) return;
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    throw new AppError(
      400,
      'invalid_flow',
      `the trigger would refuse every delivery (${count}): fix the credential, or save the flow ` +
        'with "enabled": false',
      problems,
    );
  }

  private async problemsOf(auth: TriggerAuth): Promise<Array<{ field: string; message: string }>> {
    const name = auth.credential;
    let credential: ResolvedCredential | undefined;
    try {
      credential = await this.credentials.resolve(name);
    } catch {
      const message = `credential "${name}" cannot be decrypted with the configured keys`;
      return [{ field: 'credential', message }];
    }
    if (!credential) {
      return [{ field: 'credential', message: `credential "${name}" does not exist` }];
    }
    const config = signatureConfig(auth, credential, this.config.publicUrl);
    if (typeof config === 'string') {
      if (config.startsWith('auth.header')) return [{ field: 'header', message: config }];
      const message =
        `credential "${name}" is of type ${credential.type}; a trigger needs hmac-secret, ` +
        'http-basic, http-bearer or http-header';
      return [{ field: 'credential', message }];
    }
    return signatureConfigProblems(config).map((message) => {
      const field = fieldOf(message);
      return {
        field,
        message: field === 'credential' ? `credential "${name}": ${message}` : message,
      };
    });
  }
}

/** Which auth field a verifier's problem is about (most are about the credential's secrets). */
function fieldOf(message: string): string {
  if (message.includes('header name')) return 'header';
  if (message.includes('Twilio URL')) return 'url';
  if (message.includes('tolerance')) return 'toleranceSeconds';
  return 'credential';
}
