import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { FlowVersionSummary } from '../api/types';
import type { VersionConflict } from '../canvas/use-flow-save';
import { diffDocuments } from './document-diff';
import { DiffView } from './diff-view';

interface ConflictDialogProps {
  client: ApiClient;
  conflict: VersionConflict;
  onReloadTheirs: () => void;
  onOverwrite: () => void;
  onCopyMine: () => void;
  onKeepEditing: () => void;
}

/**
 * Someone saved the flow after the version this tab started from. Nothing is lost: the dialog
 * shows their version against this tab's edits and offers to take theirs, save mine on top of
 * theirs, or keep mine as a new flow.
 */
export function ConflictDialog({
  client,
  conflict,
  onReloadTheirs,
  onOverwrite,
  onCopyMine,
  onKeepEditing,
}: ConflictDialogProps) {
  const { theirs, mine, baseVersion } = conflict;
  const [who, setWho] = useState<FlowVersionSummary>();
  const first = useRef<HTMLButtonElement>(null);
  const diff = useMemo(
    () => diffDocuments(theirs.document, mine, { positions: false }),
    [theirs, mine],
  );

  useEffect(() => {
    first.current?.focus();
    let live = true;
    client
      .request<FlowVersionSummary>('GET', `/api/flows/${theirs.id}/versions/${theirs.version}`)
      .then((summary) => live && setWho(summary))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, theirs]);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="conflict-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onKeepEditing();
        }}
      >
        <h2 id="conflict-title">Someone else saved this flow</h2>
        <p>
          Your edits start from version {baseVersion}; version {theirs.version} was saved meanwhile
          {who?.author ? ` by ${who.author}` : ''}
          {who?.createdAt ? ` at ${new Date(who.createdAt).toLocaleString()}` : ''}
          {who?.message ? ` (“${who.message}”)` : ''}. Nothing was saved.
        </p>
        <DiffView
          diff={diff}
          label="Their version against yours"
          beforeName={`their version ${theirs.version}`}
          afterName="your edits"
        />
        <p className="hint">Node positions are not compared here.</p>
        <div className="dialog-actions">
          <button type="button" ref={first} onClick={onReloadTheirs}>
            Reload their version (drop mine)
          </button>
          <button type="button" onClick={onOverwrite}>
            Save mine on top of theirs
          </button>
          <button type="button" onClick={onCopyMine}>
            Save mine as a new flow
          </button>
          <button type="button" className="quiet" onClick={onKeepEditing}>
            Keep editing
          </button>
        </div>
      </div>
    </div>
  );
}
