// Progress of long work on stderr, through ora: on a terminal one live line (a spinner and what is
// happening now) with finished work kept above it; elsewhere (CI, a pipe, a file) ora writes the
// same as plain lines, one per change, with no escape codes. Loaded only by the commands that show
// progress (`test`, `run --wait`, `worker`, `dev`), so start-up does not pay for it.
import type { ProgressEvent, ProgressSink } from '@pipectl/engine';
import type { ActivityRetry, RunStatusReport, WorkerStage } from '@pipectl/runtime';
import type { CliContext } from '../context.js';
import type { Paint, ProgressOutput } from './terminal.js';

export type Outcome = 'ok' | 'failed' | 'skipped' | 'info';

export interface Progress {
  /** What is happening now: the live line on a terminal, a plain `- text` line otherwise. */
  status(text: string): void;
  /** Something finished or happened once (a retry): a line that stays. */
  done(outcome: Outcome, text: string): void;
  /** Clears the live line; call before the final report. */
  stop(): void;
}

const SILENT: Progress = { status() {}, done() {}, stop() {} };

const SYMBOLS: Readonly<Record<Outcome, [Parameters<Paint>[0], string]>> = {
  ok: ['green', '✓'],
  failed: ['red', '✗'],
  skipped: ['gray', '-'],
  info: ['yellow', '↻'],
};

/**
 * Opens progress on the command's stderr (nothing when `quiet`), runs `work` with it, and clears
 * the live line however `work` ends, so the report that follows starts on a clean line.
 * @example const report = await withProgress(ctx, options.quiet, (progress) => project.test(subject, { progress: engineProgress(progress) }));
 */
export async function withProgress<T>(
  ctx: Pick<CliContext, 'term' | 'paint'>,
  quiet: boolean | undefined,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = await openProgress(ctx.term.progress, ctx.paint, {
    ...(quiet ? { quiet: true } : {}),
    color: ctx.term.color,
  });
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}

/**
 * Progress on `output`, or nothing when there is none or `quiet`.
 * @example const progress = await openProgress(ctx.term.progress, ctx.paint); progress.status('bundling the workflow');
 */
export async function openProgress(
  output: ProgressOutput | undefined,
  paint: Paint,
  options: { readonly quiet?: boolean; readonly color?: boolean } = {},
): Promise<Progress> {
  if (!output || options.quiet) return SILENT;
  const { default: ora } = await import('ora');
  const spinner = ora({
    stream: output.stream,
    // Our decision, not ora's guess: ora also turns itself off whenever CI is set.
    isEnabled: output.live,
    discardStdin: false,
    hideCursor: output.live,
    // The frame's colour: ora's own, which follows the terminal; symbols and text use `paint`.
    color: options.color === false ? false : 'cyan',
  });
  return {
    status(text) {
      if (!spinner.isSpinning) {
        spinner.start(text);
        return;
      }
      spinner.text = text;
      // Now, not at the next frame: a short stage would otherwise never be seen.
      spinner.render();
    },
    done(outcome, text) {
      const [style, symbol] = SYMBOLS[outcome];
      spinner.stopAndPersist({ symbol: paint(style, symbol), text });
    },
    stop() {
      spinner.stop();
    },
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** What the engine's events say, in words: `step shop/stg_orders: 1,200 rows checked by 6 checks`. */
export function describeEngineEvent(event: ProgressEvent): { outcome?: Outcome; text: string } {
  const what = event.of.includes('/') ? 'step' : 'source';
  const head = `${what} ${event.of}`;
  switch (event.kind) {
    case 'source-started':
      return { text: `${head}: reading into ${event.dataset}` };
    case 'step-started':
      return { text: `${head}: building ${event.dataset}` };
    case 'rows': {
      const rows = `${count(event.rows)} ${event.rows === 1 ? 'row' : 'rows'}`;
      if (event.phase === 'checked')
        return { text: `${head}: ${rows} checked by ${event.checks ?? 0} checks` };
      return { text: `${head}: ${rows} ${event.phase}, checking` };
    }
    case 'finished': {
      const outcome: Outcome = event.ok ? 'ok' : event.status === 'skipped' ? 'skipped' : 'failed';
      return { outcome, text: `${head}: ${event.status}${event.reason ? ` (${event.reason})` : ''}` };
    }
  }
}

/** The engine's progress sink that shows each event on `progress`. */
export function engineProgress(progress: Progress): ProgressSink {
  return (event) => {
    const { outcome, text } = describeEngineEvent(event);
    if (outcome) progress.done(outcome, text);
    else progress.status(text);
  };
}

/** A retry, in words: `retrying extractSource (attempt 3): source file not found …`. */
export function describeRetry(retry: ActivityRetry): string {
  return `retrying ${retry.activity} (attempt ${retry.attempt}): ${retry.cause}`;
}

/**
 * Progress of a watched run (`run --wait`): the steps under way as the live line, each retry once
 * with its cause. Step states that change are printed on stdout by the report, not here.
 */
export function runProgress(progress: Progress): (status: RunStatusReport) => void {
  const told = new Set<string>();
  let last = '';
  return (status) => {
    for (const retry of status.retrying ?? []) {
      const key = `${retry.activity}#${retry.attempt}`;
      if (told.has(key)) continue;
      told.add(key);
      progress.done('info', describeRetry(retry));
    }
    const busy = (status.view?.steps ?? []).filter((step) =>
      ['building', 'publishing', 'awaiting_approval'].includes(step.state),
    );
    const line = `run ${status.status}${busy.length > 0 ? `: ${busy.map((step) => `${step.name} ${step.state}`).join(', ')}` : ''}`;
    if (line === last) return;
    last = line;
    progress.status(line);
  };
}

/**
 * A worker's start-up stages as progress: each stage is the live line until the next; `polling`
 * ends start-up and stays as a line.
 */
export function workerStages(progress: Progress): (stage: WorkerStage) => void {
  return (stage) => {
    if (stage === 'polling') progress.done('ok', 'worker: polling');
    else progress.status(`worker: ${stage}`);
  };
}
