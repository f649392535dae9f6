import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';

/** The API's message for a failed call, or a plain one when Hookflow did not answer. */
export const messageOf = (caught: unknown): string =>
  caught instanceof ApiError ? caught.message : 'Hookflow did not answer';

/** A form's submit handler with busy and error state; the API's message is shown as is. */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}
