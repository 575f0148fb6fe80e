// Timings for reports: whole milliseconds, measured with the monotonic clock.

export interface Stopwatch {
  /** Milliseconds since the stopwatch started (or since the last `lap`, for `lap`). */
  elapsed(): number;
  lap(): number;
}

export function startStopwatch(): Stopwatch {
  const started = performance.now();
  let last = started;
  return {
    elapsed: () => Math.round(performance.now() - started),
    lap: () => {
      const now = performance.now();
      const ms = Math.round(now - last);
      last = now;
      return ms;
    },
  };
}
