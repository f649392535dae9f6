import { HttpException } from '@nestjs/common';
import type { ErrorBody } from '@hookflow/common';
import type { FlowVersionEntity } from '@hookflow/store';
import { presentVersionFields } from './flow.presenter';

/** A version as a conflicting editor needs it: enough to show and diff both sides. */
export function presentConflictSide(version: FlowVersionEntity) {
  return { ...presentVersionFields(version), document: version.document };
}

type ConflictSide = ReturnType<typeof presentConflictSide>;

/**
 * 409 `version_conflict`: the save was based on a version that is no longer the latest. The body
 * is the usual error plus `base` (what the caller started from; null when that version does not
 * exist) and `current` (what is there now), so an editor can show the two side by side.
 */
export class VersionConflictError extends HttpException {
  constructor(
    base: FlowVersionEntity | undefined,
    current: FlowVersionEntity,
    baseVersion: number,
  ) {
    const message =
      `version ${baseVersion} is not the latest: version ${current.version} was saved ` +
      `${current.author ? `by ${current.author} ` : ''}since; nothing was saved`;
    const body: ErrorBody & { error: { base: ConflictSide | null; current: ConflictSide } } = {
      error: {
        code: 'version_conflict',
        message,
        details: [{ path: '/baseVersion', message: `the latest version is ${current.version}` }],
        base: base ? presentConflictSide(base) : null,
        current: presentConflictSide(current),
      },
    };
    super(body, 409);
  }
}
