// The progress renderer on a terminal: ora draws one live line (spinner and text) that each status
// redraws in place, and finished work stays as lines above it. Driven with a stream that says it is
// a TTY, so the library's own terminal rendering runs.
import { describe, expect, test } from 'vitest';
import { describeEngineEvent, describeRetry, openProgress, runProgress } from '../src/io/progress.js';
import { painter } from '../src/io/terminal.js';

/**
 * A stream that says it is a terminal and records what is written; the cursor moves that a real
 * terminal turns into escape codes are recorded as <to0> (column 0) and <clear> (erase the line).
 */
function fakeTerminal() {
  const stream = {
    isTTY: true,
    columns: 80,
    written: '',
    write(chunk: string | Uint8Array) {
      stream.written += String(chunk);
      return true;
    },
    cursorTo(x: number) {
      stream.written += `<to${x}>`;
      return true;
    },
    moveCursor(dx: number, dy: number) {
      stream.written += `<move${dx},${dy}>`;
      return true;
    },
    clearLine() {
      stream.written += '<clear>';
      return true;
    },
    on: () => stream,
    once: () => stream,
    removeListener: () => stream,
  };
  return stream;
}

const ESC = '\u001b';
/** Without the cursor hide/show and synchronized-output codes ora wraps each frame in. */
const frames = (text: string) =>
  ['[?25l', '[?25h', '[?2026h', '[?2026l'].reduce((out, code) => out.split(`${ESC}${code}`).join(''), text);

describe('progress on a terminal', () => {
  test('a status is one live line, redrawn in place; finished work stays as a line', async () => {
    const stream = fakeTerminal();
    const progress = await openProgress(
      { stream: stream as unknown as NodeJS.WritableStream, live: true },
      painter(false),
      { color: false },
    );
    progress.status('step shop/stg_orders: building staging.orders');
    progress.status('step shop/stg_orders: 120 rows built, checking');
    progress.done('ok', 'step shop/stg_orders: published');
    progress.status('step shop/stg_items: building staging.items');
    progress.stop();
    expect(stream.written).toContain(`${ESC}[?25l`);
    // Exact frames depend on the spinner's timer, so the shape is checked: each redraw erases the
    // line first, only the finished step ends with a newline, and stop leaves the line erased.
    const out = frames(stream.written);
    expect(out.startsWith('<to0>⠋ step shop/stg_orders: building staging.orders<to0><clear>')).toBe(true);
    expect(out).toMatch(/<clear>\S step shop\/stg_orders: 120 rows built, checking<to0><clear>/);
    expect(out).toContain('<clear>✓ step shop/stg_orders: published\n');
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toMatch(/<to0>\S step shop\/stg_items: building staging\.items<to0><clear>$/);
  });

  test('quiet, or with nowhere to go, it writes nothing', async () => {
    const stream = fakeTerminal();
    const output = { stream: stream as unknown as NodeJS.WritableStream, live: true };
    const quiet = await openProgress(output, painter(false), { quiet: true });
    quiet.status('x');
    quiet.done('ok', 'y');
    quiet.stop();
    const none = await openProgress(undefined, painter(false));
    none.status('x');
    expect(stream.written).toBe('');
  });

  test('not live (a pipe, CI), ora writes the same as plain lines', async () => {
    const stream = fakeTerminal();
    const progress = await openProgress(
      { stream: stream as unknown as NodeJS.WritableStream, live: false },
      painter(true),
    );
    progress.status('worker: bundling the workflow');
    progress.done('ok', 'worker: polling');
    progress.stop();
    expect(stream.written).toBe('- worker: bundling the workflow\n✓ worker: polling\n');
  });
});

describe('what progress says', () => {
  test.each([
    [
      { kind: 'source-started', of: 'orders', dataset: 'raw.orders' },
      undefined,
      'source orders: reading into raw.orders',
    ],
    [
      { kind: 'rows', of: 'orders', phase: 'read', rows: 3000000 },
      undefined,
      'source orders: 3,000,000 rows read, checking',
    ],
    [
      { kind: 'rows', of: 'shop/stg', phase: 'checked', rows: 1, checks: 4 },
      undefined,
      'step shop/stg: 1 row checked by 4 checks',
    ],
    [
      { kind: 'finished', of: 'shop/stg', status: 'skipped', ok: false, reason: 'source "orders" failed' },
      'skipped',
      'step shop/stg: skipped (source "orders" failed)',
    ],
    [{ kind: 'finished', of: 'shop/stg', status: 'published', ok: true }, 'ok', 'step shop/stg: published'],
  ] as const)('%o', (event, outcome, text) => {
    expect(describeEngineEvent(event)).toEqual({ ...(outcome ? { outcome } : {}), text });
  });

  test('a retry is shown once per attempt, with its cause; steps under way are the live line', () => {
    const lines: string[] = [];
    const show = runProgress({
      status: (text) => lines.push(`- ${text}`),
      done: (outcome, text) => lines.push(`${outcome} ${text}`),
      stop: () => {},
    });
    const base = {
      runId: 'r',
      execution: 'RUNNING',
      pipeline: 'shop',
      awaitingApproval: false,
      taskQueue: 'q',
      startTime: new Date(0),
    };
    const view = (state: string) =>
      ({
        steps: [
          { name: 'orders', state },
          { name: 'stg', state: 'pending' },
        ],
      }) as never;
    const retrying = [{ activity: 'landSource', attempt: 2, cause: 'source file data/orders.csv not found' }];
    show({ ...base, status: 'running', view: view('building') });
    show({ ...base, status: 'running', view: view('building'), retrying });
    show({ ...base, status: 'running', view: view('building'), retrying });
    show({ ...base, status: 'running', view: view('published') });
    expect(lines).toEqual([
      '- run running: orders building',
      `info ${describeRetry(retrying[0] as (typeof retrying)[number])}`,
      '- run running',
    ]);
    expect(lines[1]).toBe('info retrying landSource (attempt 2): source file data/orders.csv not found');
  });
});
