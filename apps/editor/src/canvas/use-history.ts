import { useCallback, useRef, useState } from 'react';
import type { FlowGraph } from './flow-graph';

const LIMIT = 100;

/** Undo/redo over canvas snapshots. `record` before a change; a `key` coalesces typing bursts. */
export function useHistory(current: () => FlowGraph, restore: (graph: FlowGraph) => void) {
  const past = useRef<FlowGraph[]>([]);
  const future = useRef<FlowGraph[]>([]);
  const last = useRef<{ key: string; at: number }>({ key: '', at: 0 });
  /** Counts edits (recorded, undone, redone): what was shown of a run is stale once it moves. */
  const [edits, setEdits] = useState(0);
  const bump = () => setEdits((count) => count + 1);

  const record = useCallback(
    (key = '') => {
      const now = Date.now();
      if (key && last.current.key === key && now - last.current.at < 1500) {
        last.current.at = now;
        return;
      }
      last.current = { key, at: now };
      past.current = [...past.current.slice(-(LIMIT - 1)), current()];
      future.current = [];
      bump();
    },
    [current],
  );
  const undo = useCallback(() => {
    const previous = past.current.pop();
    if (!previous) return;
    future.current.push(current());
    last.current = { key: '', at: 0 };
    restore(previous);
    bump();
  }, [current, restore]);
  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next) return;
    past.current.push(current());
    restore(next);
    bump();
  }, [current, restore]);

  return {
    record,
    undo,
    redo,
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
    edits,
  };
}
