// Waiting in tests for what arrives in its own time: a run reaching a state, visibility catching
// up, a server answering. Tests wait on the thing itself, never for a fixed time; the limit is an
// outer bound for a hang (minutes, so a loaded CI machine is slow, not failing), and the error says
// what never happened. Shared by the packages' tests, like vitest.shared.ts.

/** The outer bound of one wait: generous, because CI machines are shared and sometimes busy. */
export const WAIT_LIMIT_MS = 10 * 60_000;

const POLL_MS = 100;

/**
 * Polls `probe` until it returns something other than undefined; after `limitMs`, throws
 * "<what> never happened".
 * @example const status = await eventually(async () => (await getStatus(id)).view?.pending, 'the run to wait for an approval');
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  limitMs = WAIT_LIMIT_MS,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      // A probe may fail while the thing comes up (a refused connection): keep polling, report it.
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last probe failed: ${lastError.message})` : '';
      throw new Error(`waited ${Math.round(limitMs / 1000)} s for ${what}, and it never happened${cause}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
  }
}

/**
 * Resolves as `promise` does; after `limitMs`, rejects with "<what> never happened".
 * @example const result = await within(run.handle.result(), 'the run to finish');
 */
export async function within<T>(promise: Promise<T>, what: string, limitMs = WAIT_LIMIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`waited ${Math.round(limitMs / 1000)} s for ${what}, and it never happened`)),
      limitMs,
    );
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
