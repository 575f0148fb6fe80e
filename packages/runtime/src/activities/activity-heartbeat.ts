// Keeps a long activity visibly alive: heartbeats on a short interval while the work runs (DuckDB
// runs statements off the event loop, so the timer keeps firing), and hands the work the
// activity's cancellation signal. Cancellation (the workflow cancelled, or the server timing the
// attempt out) only reaches activities that heartbeat. Outside an activity (a direct call in a
// test or a script), it just runs the work.
import { Context } from '@temporalio/activity';

/**
 * Names what an activity is doing now, in its heartbeat details (`{ phase }`), at once and in every
 * later beat: a pending activity's details in `temporal workflow describe` or the web UI say it.
 */
export type SetPhase = (phase: string) => void;

/**
 * Runs `work`, heartbeating while it runs; when the activity was cancelled meanwhile, throws the
 * cancellation instead of the work's result.
 * @example return withHeartbeat((signal) => pool.use(path, (wh) => buildStep(wh, input), signal));
 */
export async function withHeartbeat<T>(
  work: (signal: AbortSignal | undefined, setPhase: SetPhase) => Promise<T>,
): Promise<T> {
  const context = currentContext();
  if (!context) return work(undefined, () => undefined);
  // A local activity cannot heartbeat (its workflow task stands for it); cancellation still arrives.
  if (context.info.isLocal)
    return finishUnlessCancelled(
      context,
      work(context.cancellationSignal, () => undefined),
    );
  const timeout = context.info.heartbeatTimeoutMs;
  const every = timeout ? Math.max(100, Math.min(1_000, Math.floor(timeout / 4))) : 1_000;
  let details: { phase: string } | undefined;
  const beat = () => (details ? context.heartbeat(details) : context.heartbeat());
  const setPhase: SetPhase = (phase) => {
    details = { phase };
    beat();
  };
  // The first beat after one interval, not at once: most activities of a small run end sooner,
  // and each beat is a call to the server. A silent start is covered: the heartbeat timeout
  // counts from the start, and `every` is at most a quarter of it.
  const timer = setInterval(beat, every);
  // Cancellation is delivered through the signal; the `cancelled` promise would otherwise reject unheard.
  context.cancelled.catch(() => undefined);
  try {
    return await finishUnlessCancelled(context, work(context.cancellationSignal, setPhase));
  } finally {
    clearInterval(timer);
  }
}

/** The work's result or failure, or the cancellation when the activity was cancelled meanwhile. */
async function finishUnlessCancelled<T>(context: Context, work: Promise<T>): Promise<T> {
  try {
    const result = await work;
    context.cancellationSignal.throwIfAborted();
    return result;
  } catch (error) {
    context.cancellationSignal.throwIfAborted();
    throw error;
  }
}

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
