// Where output goes and whether it may be coloured: colour only on a TTY, never when NO_COLOR is
// set, always when FORCE_COLOR is. Commands write through this so tests can capture output.
import { createColors } from 'picocolors';

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  readonly color: boolean;
  readonly isTTY: boolean;
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
  };
}

/** A terminal that records what is written, for tests and for composing output. */
export function bufferTerminal(
  options: { color?: boolean } = {},
): Terminal & { stdout: string; stderr: string } {
  const term = {
    stdout: '',
    stderr: '',
    color: options.color ?? false,
    isTTY: false,
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
