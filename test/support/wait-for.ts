/**
 * Polls until `check` returns a value (not undefined), at most `attempts` times `intervalMs` apart.
 * Bounded by construction: it gives up with the last observation in the message.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { attempts = 200, intervalMs = 50 }: { attempts?: number; intervalMs?: number } = {},
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
