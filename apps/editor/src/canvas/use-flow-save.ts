import { useCallback, useState, type MutableRefObject } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { FlowDocument, FlowView } from '../api/types';
import type { EditorNotice } from './use-flow-editor';

/** A save refused because someone saved the flow after the version this tab started from. */
export interface VersionConflict {
  /** The document this tab tried to save. */
  mine: FlowDocument;
  /** The version this tab's edits are based on. */
  baseVersion: number;
  /** The flow as it is now, with the other save's document. */
  theirs: FlowView;
}

export interface SaveOptions {
  /** Why this version was saved (kept with the version). */
  message?: string;
  /** Store without publishing: deliveries keep running the published version. */
  draft?: boolean;
  /** Save on top of this version instead of the one loaded (overwrite after a conflict). */
  baseVersion?: number;
}

interface FlowSaveOptions {
  client: ApiClient;
  flow: FlowView | undefined;
  setFlow: (update: (previous: FlowView | undefined) => FlowView | undefined) => void;
  document: () => FlowDocument;
  loadedId: MutableRefObject<string | undefined>;
  setDirty: (dirty: boolean) => void;
  setNotice: (notice: EditorNotice | undefined) => void;
  showProblems: (sent: FlowDocument, details: ApiError['details']) => void;
}

const describe = (error: unknown): string =>
  error instanceof ApiError
    ? [error.message, ...error.details.map((detail) => detail.message)].join('; ')
    : String(error);

/**
 * Saving with optimistic locking: each save names the version it is based on (`baseVersion`); a
 * save that lost the race gets 409 `version_conflict` and the conflict is kept for the dialog.
 */
export function useFlowSave(options: FlowSaveOptions) {
  const { client, flow, setFlow, document, loadedId, setDirty, setNotice, showProblems } = options;
  const [conflict, setConflict] = useState<VersionConflict>();

  /** Saves (creating the flow the first time); returns the saved flow, or undefined. */
  const save = useCallback(
    async (choice: SaveOptions = {}): Promise<FlowView | undefined> => {
      const sent = document();
      const baseVersion = choice.baseVersion ?? flow?.version;
      const message = choice.message?.trim() || undefined;
      try {
        const saved = flow
          ? await client.request<FlowView>('PUT', `/api/flows/${flow.id}`, {
              ...sent,
              baseVersion,
              ...(message ? { message } : {}),
              ...(choice.draft ? { draft: true } : {}),
            })
          : await client.request<FlowView>('POST', '/api/flows', { ...sent, enabled: false });
        loadedId.current = saved.id;
        setFlow(() => saved);
        setDirty(false);
        setConflict(undefined);
        showProblems(sent, []);
        setNotice({
          kind: 'info',
          text: `Saved version ${saved.version}${choice.draft ? ' as draft' : ''}`,
        });
        return saved;
      } catch (error) {
        if (flow && error instanceof ApiError && error.code === 'version_conflict') {
          const theirs = await client.request<FlowView>('GET', `/api/flows/${flow.id}`);
          setConflict({ mine: sent, baseVersion: baseVersion ?? flow.version, theirs });
          setNotice({
            kind: 'error',
            text: `Not saved: version ${theirs.version} was saved meanwhile`,
          });
        } else if (error instanceof ApiError) {
          showProblems(sent, error.details);
          setNotice({ kind: 'error', text: `Not saved: ${error.message}` });
        } else {
          setNotice({ kind: 'error', text: String(error) });
        }
        return undefined;
      }
    },
    [client, document, flow, setFlow, loadedId, setDirty, setNotice, showProblems],
  );

  /** Keeps "mine" as a new, disabled flow; returns its id. */
  const saveMineAsCopy = useCallback(async (): Promise<string | undefined> => {
    if (!conflict) return undefined;
    try {
      const copy = await client.request<FlowView>('POST', '/api/flows', {
        ...conflict.mine,
        name: `${conflict.mine.name} (my copy)`,
        enabled: false,
      });
      setConflict(undefined);
      setDirty(false);
      setNotice({ kind: 'info', text: `Your version was saved as the new flow "${copy.name}"` });
      return copy.id;
    } catch (error) {
      setNotice({ kind: 'error', text: `Copy not saved: ${describe(error)}` });
      return undefined;
    }
  }, [client, conflict, setDirty, setNotice]);

  const setEnabled = useCallback(
    async (enabled: boolean) => {
      if (!flow) return;
      // Optimistic: the switch moves at once and goes back if the API refuses.
      setFlow((previous) => (previous ? { ...previous, enabled } : previous));
      try {
        const next = await client.request<FlowView>(
          'POST',
          `/api/flows/${flow.id}/${enabled ? 'enable' : 'disable'}`,
        );
        setFlow((previous) => (previous ? { ...previous, enabled: next.enabled } : previous));
        setNotice({ kind: 'info', text: next.enabled ? 'Flow enabled' : 'Flow disabled' });
      } catch (error) {
        setFlow((previous) => (previous ? { ...previous, enabled: !enabled } : previous));
        setNotice({ kind: 'error', text: describe(error) });
      }
    },
    [client, flow, setFlow, setNotice],
  );

  return { save, conflict, setConflict, saveMineAsCopy, setEnabled };
}
