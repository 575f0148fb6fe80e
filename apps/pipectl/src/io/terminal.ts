// Where output goes and whether it may be coloured: colour only on a TTY, never when NO_COLOR is
// set, always when FORCE_COLOR is. Commands write through this so tests can capture output.
import { createColors } from 'picocolors';

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  readonly color: boolean;
  readonly isTTY: boolean;
  /** Where progress of long work goes (stderr), and whether it can be redrawn; absent: nowhere. */
  readonly progress?: ProgressOutput;
}

/** A stream for progress: `live` when it is a terminal that can redraw a line (else plain lines). */
export interface ProgressOutput {
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly live: boolean;
}

export function processTerminal(): Terminal {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const color = forced || (isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb');
  // `pipectl --help | head`: the reader left, so there is no one to write to; end quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color,
    isTTY,
    progress: {
      stream: process.stderr,
      live: Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb',
    },
  };
}

/**
 * A terminal that records what is written, for tests and for composing output. It shows no
 * progress unless `progress: true`, then as plain lines in `stderr`.
 */
export function bufferTerminal(
  options: { color?: boolean; progress?: boolean } = {},
): Terminal & { stdout: string; stderr: string } {
  const stream = { write: (text: string) => term.err(String(text)), isTTY: false };
  const term = {
    stdout: '',
    stderr: '',
    color: options.color ?? false,
    isTTY: false,
    ...(options.progress
      ? { progress: { stream: stream as unknown as NodeJS.WritableStream, live: false } }
      : {}),
    out(text: string) {
      term.stdout += text;
    },
    err(text: string) {
      term.stderr += text;
    },
  };
  return term;
}

/** The styles the renderers use; the escape codes are picocolors'. */
export type Style = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'bold' | 'dim';

export type Paint = (style: Style, text: string) => string;

/** Whether to colour is decided above (`processTerminal`), not by picocolors' own guess from the environment. */
export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  const colors = createColors(true);
  return (style, text) => colors[style](text);
}
