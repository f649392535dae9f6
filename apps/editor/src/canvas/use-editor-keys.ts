import { useEffect } from 'react';

interface EditorKeys {
  save: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => string | undefined;
  paste: (text: string) => boolean;
  deleteSelection: () => void;
}

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Ctrl/Cmd+S saves anywhere; Delete/Backspace, undo/redo and copy/paste of nodes act when not
 * typing in a field.
 */
export function useEditorKeys(keys: EditorKeys): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      // Handled here on keydown, not by React Flow's key state, which can miss a fast press.
      if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        if (isTyping(event.target)) return;
        event.preventDefault();
        keys.deleteSelection();
        return;
      }
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        keys.save();
        return;
      }
      if (isTyping(event.target)) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        keys.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        keys.redo();
      }
    };
    const onCopy = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return;
      const text = keys.copy();
      if (text && event.clipboardData) {
        event.clipboardData.setData('text/plain', text);
        event.preventDefault();
      }
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return;
      const text = event.clipboardData?.getData('text/plain');
      if (text && keys.paste(text)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [keys]);
}
