// The Temporal SDK logs every worker state change at INFO; a CLI user wants warnings and errors.
// Must run before the first worker or connection of the process (the SDK runtime is created once).
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

/** Sets the SDK's log level for this process; a no-op when the runtime already exists. */
export function setSdkLogLevel(level: LogLevel = 'WARN'): void {
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed or instantiated: keep it.
  }
}
